/**
 * Keyboard-wedge capture. Handheld scanners "type" the code and end it with Enter (or Tab).
 * Listening at document level means a scan lands whatever has focus, no text field needs focus,
 * and the on-screen keyboard never opens. Keys typed into a real text field (the header search)
 * stay there; keys typed while a dialog is open are ignored, so a scan cannot answer a
 * confirmation by accident.
 */
export interface WedgeOptions {
  /** A finished code, raw (the caller normalises). */
  onCode(raw: string): void;
  /** The characters typed so far, to show them (a person typing by hand sees progress). */
  onBuffer(text: string): void;
  /** True while a dialog is open. */
  paused(): boolean;
}

export const MAX_BUFFER = 300;

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** Starts capturing; returns a function that stops it. */
export function startWedge(opts: WedgeOptions): () => void {
  let buffer = '';
  const set = (text: string) => {
    buffer = text;
    opts.onBuffer(buffer);
  };

  function onKeyDown(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.isComposing || isTextField(e.target)) return;
    if (opts.paused()) {
      if (buffer) set('');
      return;
    }
    if (e.ctrlKey || e.metaKey || (e.altKey && !e.getModifierState('AltGraph'))) return;
    const key = e.key;
    if (key === 'Enter' || key === 'Tab') {
      // Without a buffer, Enter on a focused button keeps its normal meaning (keyboard users).
      if (!buffer && key === 'Enter') return;
      e.preventDefault();
      const code = buffer;
      set('');
      if (code.trim()) opts.onCode(code);
      return;
    }
    if (key === 'Escape') {
      if (buffer) set('');
      return;
    }
    if (key === 'Backspace') {
      if (buffer) {
        e.preventDefault();
        set(buffer.slice(0, -1));
      }
      return;
    }
    if (key.length !== 1) return; // Shift, arrows, F-keys, 'Unidentified'
    // A focused button or select must not react (Space clicks, letters jump the select).
    e.preventDefault();
    if (buffer.length < MAX_BUFFER) set(buffer + key);
  }

  document.addEventListener('keydown', onKeyDown);
  return () => document.removeEventListener('keydown', onKeyDown);
}
