/**
 * Finds the event loop's long busy stretches in a `node --cpu-prof` profile: runs of samples with
 * no (idle) between them lasting at least MIN ms, each with its wall-clock time, its length, the
 * largest gap between two samples in it (a gap the sampler missed: the process was not running)
 * and the frames it spent its time in. Times are wall-clock (UTC), taken back from the file's
 * mtime, so they line up with a load run's slow seconds to within the stop's delay. Usage:
 *   node --import tsx bench/profile-stalls.ts FILE.cpuprofile [MIN_MS=40] [FRAMES=8]
 */
import fs from 'node:fs';
import { label, readCpuProfile } from './cpu-profile.js';

const { prof, byId, parent } = readCpuProfile(process.argv[2]!);
const minMs = Number(process.argv[3] ?? 40);
const frames = Number(process.argv[4] ?? 8);
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';

interface Stretch {
  start: number;
  end: number;
  maxGap: number;
  samples: Array<[number, number]>;
}
const stretches: Stretch[] = [];
let t = prof.startTime;
let open: Stretch | undefined;
for (const [i, id] of prof.samples.entries()) {
  const delta = prof.timeDeltas[i] ?? 0;
  t += delta;
  if (isIdle(id)) {
    if (open && (open.end - open.start) / 1000 >= minMs) stretches.push(open);
    open = undefined;
    continue;
  }
  if (!open) open = { start: t - delta, end: t, maxGap: delta, samples: [] };
  open.end = t;
  open.maxGap = Math.max(open.maxGap, delta);
  open.samples.push([id, delta]);
}
if (open && (open.end - open.start) / 1000 >= minMs) stretches.push(open);

// The profile's clock is monotonic; it was written when the process stopped (the file's mtime).
const endMs = fs.statSync(process.argv[2]!).mtimeMs;
const clock = (us: number) => new Date(endMs - (t - us) / 1000).toISOString().slice(11, 23);
console.log(`${stretches.length} busy stretches of ${minMs} ms or more (profile ${((t - prof.startTime) / 1e6).toFixed(1)} s)`);
for (const s of stretches) {
  console.log(
    `\n${clock(s.start)}  ${((s.end - s.start) / 1000).toFixed(0)} ms busy, largest sample gap ${(s.maxGap / 1000).toFixed(1)} ms`,
  );
  // Inclusive time per frame within the stretch: where its milliseconds went.
  const incl = new Map<string, number>();
  for (const [id, delta] of s.samples) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(label(byId.get(n)!));
    for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + delta);
  }
  const self = new Map<string, number>();
  for (const [id, delta] of s.samples) self.set(label(byId.get(id)!), (self.get(label(byId.get(id)!)) ?? 0) + delta);
  const top = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => !k.startsWith('(root)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, frames)
      .map(([k, v]) => `    ${(v / 1000).toFixed(1).padStart(6)} ms  ${k}`)
      .join('\n');
  console.log(`  self:\n${top(self)}\n  inclusive:\n${top(incl)}`);
}
