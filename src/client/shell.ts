/**
 * The screen pieces every station shares (/scan, the bill station, the return station): the
 * coloured outcome flash, a row of the recent-scans list, the yes/no dialog, the "type a code"
 * dialog and the last steps of starting a page. Each station's page names its elements with its
 * own prefix (`st-`, `bs-`, `rs-`); the look and behaviour are one. Text goes in through
 * textContent only.
 */
import { keepOffline } from './offline.js';
import { OUTCOMES, type Outcome } from './outcomes.js';
import type { ScanQueue } from './queue.js';

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`station: #${id} missing`);
  return el as T;
}

/** The big coloured message of the latest outcome; the animation restarts even when the tone repeats. */
export function flash(
  root: HTMLElement,
  title: HTMLElement,
  detail: HTMLElement,
  outcome: Outcome,
  text: string,
  heading = outcome.title,
): void {
  root.dataset.tone = outcome.tone;
  title.textContent = heading;
  detail.textContent = text;
  root.classList.remove('st-flashing');
  void root.offsetWidth;
  root.classList.add('st-flashing');
}

/** A station view's big coloured message (view.ts, bill-view.ts). */
export interface Flash {
  flash(outcome: Outcome, detail: string, title?: string): void;
}

/** Said at start-up where the outbox cannot outlive the page (no IndexedDB: private mode?). */
export function warnIfNotDurable(queue: ScanQueue, view: Flash): void {
  if (!queue.durable) view.flash(OUTCOMES.failed, 'This browser cannot keep scans offline (private mode?)', 'No offline storage');
}

/**
 * The last step of starting a station page: while scans wait, it re-renders every second, so the
 * "N not sent" badge appears once a scan has waited a moment even without a new event; the page
 * opens offline next time (sw.ts, ADR 0014 and 0025); and it is marked ready.
 */
export function keepStationRunning(root: HTMLElement, queue: ScanQueue, render: () => void): void {
  setInterval(() => {
    if (queue.size > 0) render();
  }, 1000);
  keepOffline();
  root.dataset.ready = 'true';
}

/** One line of the recent-scans list: the code, and what became of it. */
export function scanRow(code: string, tone: string, state: string, data: Record<string, string>): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `st-row tone-${tone}`;
  Object.assign(li.dataset, data);
  const codeEl = document.createElement('span');
  codeEl.className = 'st-row-code';
  codeEl.textContent = code;
  const stateEl = document.createElement('span');
  stateEl.className = 'st-row-state';
  stateEl.textContent = state;
  li.append(codeEl, stateEl);
  return li;
}

/** A modal yes/no (`{prefix}-confirm`); the wedge holds scans while it is open. `yes` labels the button. */
export function confirmDialog(prefix: string, text: string, yes: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>(`${prefix}-confirm`);
  if (typeof dialog.showModal !== 'function') return Promise.resolve(window.confirm(text));
  byId(`${prefix}-confirm-text`).textContent = text;
  byId(`${prefix}-confirm-ok`).textContent = yes;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

/** Manual entry for a damaged label (`{prefix}-manual`): a real text field, in a dialog. */
export function codeDialog(prefix: string, label: string): Promise<string | null> {
  const dialog = byId<HTMLDialogElement>(`${prefix}-manual`);
  const input = byId<HTMLInputElement>(`${prefix}-manual-code`);
  if (typeof dialog.showModal !== 'function') return Promise.resolve(window.prompt(label) || null);
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  input.focus();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value : null), { once: true }),
  );
}
