/**
 * Keyboard-wedge capture, one for every page that scans (/scan, the bill station, returns).
 * Handheld scanners "type" the code fast and end it with Enter (or Tab). SPEC §9:
 * - Keys at scanner speed (≤ 30 ms apart) ending in Enter/Tab are a scan WHEREVER focus is:
 *   the page, a button, a dialog, the header search box. In a text field the fast keys land
 *   in the field first; when the Enter/Tab shows they were a scan, the field gets its old
 *   value back and the Enter/Tab does nothing else (no search, no form submit).
 * - Slow typing in a text field stays typing. Outside text fields every key goes to the
 *   buffer (a person typing a code on the page is scanning by hand), and a focused button
 *   never reacts to scanned keys.
 *
 * API:
 *   const stop = startWedge({ onCode, onBuffer });   // capture; `stop()` ends it
 *   const gate = new DialogGate(apply, busy?);      // what a scan does while a dialog is open
 *   startWedge({ onCode: (raw) => gate.take(raw), onBuffer });
 * A dialog with `data-takes-code` (and an `<input data-code>`) takes the scan: the code is
 * put in the input and the dialog closes with returnValue 'ok'. Any other open dialog holds
 * the scan; held scans are applied, in order, once no dialog is open and `busy()` is false
 * (call `gate.flush()` when the action the dialog served has finished).
 */
export interface WedgeOptions {
  /** A finished code, raw (the caller normalises). */
  onCode(raw: string): void;
  /** The characters typed so far, to show them (a person typing by hand sees progress). */
  onBuffer(text: string): void;
  /** Longest gap between two scanner keys (ms); default 30. */
  maxGapMs?: number;
}

export const MAX_BUFFER = 300;
/** A burst shorter than this in a text field is someone typing fast, not a scan. */
const MIN_SCAN_LENGTH = 3;

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement | HTMLElement {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

interface FieldBurst {
  field: HTMLInputElement | HTMLTextAreaElement;
  before: string;
  text: string;
  last: number;
}

/** Starts capturing; returns a function that stops it. */
export function startWedge(opts: WedgeOptions): () => void {
  const maxGap = opts.maxGapMs ?? 30;
  let buffer = '';
  let burst: FieldBurst | null = null;
  const set = (text: string) => {
    buffer = text;
    opts.onBuffer(buffer);
  };

  /** Keys in a text field: typed normally, remembered in case the Enter shows they were a scan. */
  function inField(e: KeyboardEvent, field: HTMLInputElement | HTMLTextAreaElement): void {
    const now = e.timeStamp;
    const fast = burst !== null && burst.field === field && now - burst.last <= maxGap;
    if (e.key === 'Enter' || e.key === 'Tab') {
      if (fast && burst!.text.length >= MIN_SCAN_LENGTH) {
        e.preventDefault();
        e.stopPropagation();
        field.value = burst!.before;
        const code = burst!.text;
        burst = null;
        opts.onCode(code);
      }
      burst = null;
      return;
    }
    if (e.key.length !== 1 || e.ctrlKey || e.metaKey) {
      burst = null;
      return;
    }
    if (!fast) burst = { field, before: field.value, text: '', last: now };
    burst!.text += e.key;
    burst!.last = now;
  }

  function onKeyDown(e: KeyboardEvent): void {
    if (e.isComposing) return;
    if (isTextField(e.target)) {
      if (buffer) set('');
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) inField(e, e.target);
      return;
    }
    burst = null;
    if (e.ctrlKey || e.metaKey || (e.altKey && !e.getModifierState('AltGraph'))) return;
    const key = e.key;
    if (key === 'Enter' || key === 'Tab') {
      // Without a buffer, Enter on a focused button keeps its normal meaning (keyboard users).
      if (!buffer && key === 'Enter') return;
      e.preventDefault();
      e.stopPropagation();
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

  // Capture phase: the wedge sees each key before the focused element acts on it.
  document.addEventListener('keydown', onKeyDown, true);
  return () => document.removeEventListener('keydown', onKeyDown, true);
}

/** What happens to a scan while a dialog is open: taken by it, or held until it closes. */
export class DialogGate {
  private held: string[] = [];

  constructor(
    private readonly apply: (raw: string) => void,
    private readonly busy: () => boolean = () => false,
    /** A scan an open dialog may answer itself (a command barcode); true when it did. */
    private readonly answer: (raw: string, dialog: HTMLDialogElement) => boolean = () => false,
  ) {}

  take(raw: string): void {
    const dialog = document.querySelector<HTMLDialogElement>('dialog[open]');
    if (dialog && this.answer(raw, dialog)) return;
    if (dialog?.dataset.takesCode !== undefined) {
      const input = dialog.querySelector<HTMLInputElement>('input[data-code]');
      if (input) {
        input.value = raw;
        dialog.close('ok');
        return;
      }
    }
    if (dialog || this.busy() || this.held.length > 0) {
      this.held.push(raw);
      if (dialog) dialog.addEventListener('close', () => setTimeout(() => this.flush(), 0), { once: true });
      return;
    }
    this.apply(raw);
  }

  get holding(): number {
    return this.held.length;
  }

  /** Applies the held scans, in order, once nothing holds them any more. */
  flush(): void {
    while (this.held.length > 0 && !document.querySelector('dialog[open]') && !this.busy()) this.apply(this.held.shift()!);
  }
}
