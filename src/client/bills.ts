/**
 * Entry of the bill pages, bundled to public/build/bills.js:
 * - /bills/{id}/scan: the bill scan station (bill-station.ts) with the scan station's keyboard
 *   wedge (wedge.ts), outbox (queue.ts, its own IndexedDB database) and sender (sender.ts);
 * - /bills/new: Enter in a field moves to the next one (a scanner ends the bill id with Enter);
 * - the dispatch sheet's Print button.
 */
import { stationId } from './api.js';
import { BillStation } from './bill-station.js';
import { BillView, type BillFigures, type ParentLine } from './bill-view.js';
import { ScanQueue } from './queue.js';
import { answerDialog } from './command-codes.js';
import { keepStationRunning, warnIfNotDurable } from './shell.js';
import { DialogGate, startWedge } from './wedge.js';

/** The bill pages' outbox: never the /scan station's, so neither page sends the other's scans. */
const OUTBOX = 'tracetrack-bill-scans';

async function billStation(root: HTMLElement): Promise<void> {
  const view = new BillView();
  const userId = root.dataset.userId ?? 'anonymous';
  stationId();
  const data = JSON.parse(root.dataset.bill ?? '{}') as BillFigures & { parents: ParentLine[] };
  const queue = await ScanQueue.open(userId, OUTBOX);
  const station = new BillStation(view, queue, data);
  warnIfNotDurable(queue, view);
  let busy = false;
  // A scan while a dialog is open or a button's action runs waits for it (SPEC §9).
  const gate = new DialogGate(
    (raw) => station.scan(raw),
    () => busy,
    answerDialog,
  ); // CONFIRM / CANCEL barcodes answer its dialogs
  startWedge({ onCode: (raw) => gate.take(raw), onBuffer: (text) => view.typed(text) });
  const on = (id: string, action: () => unknown) =>
    document.getElementById(id)?.addEventListener('click', async (e) => {
      (e.currentTarget as HTMLElement).blur(); // the next scan's Enter must not press it again
      busy = true;
      try {
        await action();
      } finally {
        busy = false;
        gate.flush();
      }
    });
  on('bs-complete', () => station.complete());
  on('bs-type', async () => {
    const code = await view.askCode();
    if (code) station.scan(code);
  });
  keepStationRunning(root, queue, () => station.render());
}

/** Enter moves to the next field of the form; on the last one it submits as usual. */
function enterMovesOn(form: HTMLFormElement): void {
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !(e.target instanceof HTMLInputElement)) return;
    const fields = Array.from(form.querySelectorAll<HTMLInputElement>('input:not([type="hidden"])'));
    const next = fields[fields.indexOf(e.target) + 1];
    if (!next) return;
    e.preventDefault();
    next.focus();
    next.select();
  });
}

const root = document.getElementById('bill-station');
if (root) void billStation(root);
for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-enter-next]'))) enterMovesOn(form);
for (const button of Array.from(document.querySelectorAll<HTMLElement>('[data-print]')))
  button.addEventListener('click', () => window.print());
