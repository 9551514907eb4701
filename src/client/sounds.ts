/**
 * Outcome tones made with WebAudio (no audio files to download or cache). Workers keep their
 * eyes on the bags, so each outcome has its own short melody (see outcomes.ts). Browsers only
 * allow sound after a user gesture; the first scan's keydown is one.
 */
export type Wave = 'sine' | 'square' | 'triangle' | 'sawtooth';
/** One note: frequency (Hz, 0 = rest), length (ms), waveform. */
export type Note = readonly [number, number, Wave?];

type AudioCtor = typeof AudioContext;
let ctx: AudioContext | null = null;
let unavailable = false;

function audio(): AudioContext | null {
  if (ctx || unavailable) return ctx;
  const Ctor = (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioCtor }).webkitAudioContext) as
    | AudioCtor
    | undefined;
  if (!Ctor) {
    unavailable = true;
    return null;
  }
  try {
    ctx = new Ctor();
  } catch {
    unavailable = true;
  }
  return ctx;
}

export function play(notes: readonly Note[], volume = 0.25): void {
  const ac = audio();
  if (!ac) return;
  if (ac.state === 'suspended') void ac.resume().catch(() => undefined);
  let t = ac.currentTime + 0.01;
  for (const [freq, ms, wave] of notes) {
    const seconds = ms / 1000;
    if (freq > 0) {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = wave ?? 'sine';
      osc.frequency.setValueAtTime(freq, t);
      // Short attack and release: no clicks.
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(volume, t + 0.01);
      gain.gain.setValueAtTime(volume, t + Math.max(0.01, seconds - 0.02));
      gain.gain.linearRampToValueAtTime(0, t + seconds);
      osc.connect(gain).connect(ac.destination);
      osc.start(t);
      osc.stop(t + seconds + 0.01);
    }
    t += seconds;
  }
}
