/**
 * Entry of the scan station page (/scan), bundled to public/build/scan.js. Wires the keyboard
 * wedge, the outbox and the buttons to the station; the page's skeleton comes from
 * src/http/pages/views/scan.view.ts.
 */
import { stationId } from './api.js';
import { answerDialog, commandOf } from './command-codes.js';
import { parentKindsOf } from './codes.js';
import { finishParent, newParent, undoLast } from './commands.js';
import { OUTCOMES } from './outcomes.js';
import { ScanQueue } from './queue.js';
import { keepStationRunning, warnIfNotDurable } from './shell.js';
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
  warnIfNotDurable(queue, view);

  let busy = false;
  const run = async (action: () => unknown) => {
    if (busy) return;
    busy = true;
    try {
      await action();
    } finally {
      busy = false;
      gate.flush();
    }
  };
  const { undo, finish, change } = view.buttons;
  const actions: Record<string, () => unknown> = {
    [undo.id]: () => undoLast(station),
    [finish.id]: () => finishParent(station),
    [change.id]: () => newParent(station),
  };
  // A command barcode does what its button does; CONFIRM / CANCEL answer an open dialog.
  const BUTTON_OF = { FINISH: finish, UNDO: undo, 'PUT ASIDE': change } as const;
  const apply = (raw: string) => {
    const command = commandOf(raw);
    if (!command) return station.scan(raw);
    if (command === 'CONFIRM' || command === 'CANCEL') return view.flash(OUTCOMES.nothing_to_undo, 'Nothing to confirm or cancel', command);
    const button = BUTTON_OF[command];
    if (button.hidden || button.disabled) return view.flash(OUTCOMES.nothing_to_undo, 'Scan a parent bag first', command);
    void run(actions[button.id]!);
  };
  // A scan while a dialog is open or a button's action runs waits for it (SPEC §9).
  const gate = new DialogGate(apply, () => busy, answerDialog);
  startWedge({ onCode: (raw) => gate.take(raw), onBuffer: (text) => view.typed(text) });

  const on = (id: string, action: () => unknown) => {
    document.getElementById(id)?.addEventListener('click', (e) => {
      // Focus back to the page: a scanner's Enter must never press this button again.
      (e.currentTarget as HTMLElement).blur();
      void run(action);
    });
  };
  for (const [id, action] of Object.entries(actions)) on(id, action);
  // What the manual-entry dialog took waits its turn like a scan: a command barcode in it
  // (PUT ASIDE, FINISH…) then runs once this action is over, as its button would.
  on('st-type', async () => {
    const code = await view.askCode();
    if (code) gate.take(code);
  });
  keepStationRunning(view.root, queue, () => station.render());
}

void main();
