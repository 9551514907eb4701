/**
 * Entry of the scan station page (/scan), bundled to public/build/scan.js. Wires the keyboard
 * wedge, the outbox and the buttons to the station; the page's skeleton comes from
 * src/http/pages/views/scan.view.ts.
 */
import { stationId } from './api.js';
import { parentKindsOf } from './codes.js';
import { finishParent, newParent, undoLast } from './commands.js';
import { OUTCOMES } from './outcomes.js';
import { ScanQueue } from './queue.js';
import { Station } from './station.js';
import { View } from './view.js';
import { DialogGate, startWedge } from './wedge.js';

const AREA_KEY = 'tt-station-area';

function areaPicker(): HTMLSelectElement | null {
  const picker = document.getElementById('st-area');
  if (!(picker instanceof HTMLSelectElement)) return null;
  try {
    const saved = localStorage.getItem(AREA_KEY);
    if (saved && Array.from(picker.options).some((o) => o.value === saved)) picker.value = saved;
  } catch {
    // No storage: the first area stays the default.
  }
  picker.addEventListener('change', () => {
    try {
      localStorage.setItem(AREA_KEY, picker.value);
    } catch {
      // Kept for this page only.
    }
    picker.blur(); // a focused select would swallow the next scan's letters
  });
  return picker;
}

async function main(): Promise<void> {
  const view = new View();
  const userId = view.root.dataset.userId ?? 'anonymous';
  stationId();
  const picker = areaPicker();
  const queue = await ScanQueue.open(userId);
  const station = new Station(view, queue, { userId, kinds: parentKindsOf(view.root), area: () => picker?.value || undefined });
  if (!queue.durable) view.flash(OUTCOMES.failed, 'This browser cannot keep scans offline (private mode?)', 'No offline storage');

  let busy = false;
  // A scan while a dialog is open or a button's action runs waits for it (SPEC §9).
  const gate = new DialogGate((raw) => station.scan(raw), () => busy);
  startWedge({ onCode: (raw) => gate.take(raw), onBuffer: (text) => view.typed(text) });

  const on = (id: string, action: () => unknown) => {
    document.getElementById(id)?.addEventListener('click', async (e) => {
      // Focus back to the page: a scanner's Enter must never press this button again.
      (e.currentTarget as HTMLElement).blur();
      if (busy) return;
      busy = true;
      try {
        await action();
      } finally {
        busy = false;
        gate.flush();
      }
    });
  };
  const { undo, finish, change } = view.buttons;
  on(undo.id, () => undoLast(station));
  on(finish.id, () => finishParent(station));
  on(change.id, () => newParent(station));
  on('st-type', async () => {
    const code = await view.askCode();
    if (code) station.scan(code);
  });

  // The "N not sent" badge appears once a scan has waited a moment, even without a new event.
  setInterval(() => {
    if (queue.size > 0) station.render();
  }, 1000);
  // The station opens offline next time (src/client/sw.ts, ADR 0014).
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/scan-sw.js', { scope: '/scan' }).catch(() => undefined);
  view.root.dataset.ready = 'true';
}

void main();
