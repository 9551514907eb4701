/**
 * The station's buttons: Undo last, Finish parent, New parent. Undo takes back an unsent scan
 * on the device (it never reaches the server); a stored one needs the server (POST
 * /api/scans/undo). Finish first sends the parent's scans still in the outbox (scans made
 * meanwhile wait behind the action, scan.ts), then finishing short asks ("Finish at 27/30?");
 * offline it refuses, since the parent's unsent scans would be left out.
 */
import { NetworkError, post, type Answer, type Bag } from './api.js';
import { OUTCOMES, outcomeOfError } from './outcomes.js';
import { play } from './sounds.js';
import type { Station } from './station.js';
import { countText, shownCount, type ParentState } from './state.js';

/** The code an undo answer names, whatever its shape (`"X"`, `{code}` or `{child:{code}}`). */
function removedCode(removed: unknown): string {
  if (typeof removed === 'string') return removed;
  if (removed && typeof removed === 'object') {
    const r = removed as { code?: unknown; child?: { code?: unknown } };
    if (typeof r.code === 'string') return r.code;
    if (typeof r.child?.code === 'string') return r.child.code;
  }
  return '';
}

/** A parent that drops below full is back in hand (unless another parent already is). */
function backInHand(st: Station, p: ParentState): void {
  const s = st.state;
  if (s.parent === null && s.last === p && p.status !== 'completed') {
    p.countedFull = false;
    s.parent = p;
    s.last = null;
  }
}

async function call(st: Station, path: string, body?: object): Promise<Answer | undefined> {
  if (navigator.onLine === false) {
    st.say('failed', 'No network: this needs the server, try again when connected', false);
    return undefined;
  }
  try {
    return await post(path, body);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    st.say('failed', 'No answer from the server: try again in a moment', false);
    return undefined;
  }
}

export async function undoLast(st: Station): Promise<void> {
  const p = st.state.parent ?? st.state.last;
  if (!p) return st.say('nothing_to_undo', 'Scan a parent bag first', false);
  const unsent = st.queue.list().filter((i) => i.kind === 'child' && i.parentCode === p.code);
  const newest = unsent[unsent.length - 1];
  if (newest && newest.scanId === st.sender.inFlight) {
    await st.sender.idle(); // on the wire: wait for its answer, then undo it on the server
    return undoLast(st);
  }
  if (newest) {
    await st.queue.remove(newest.scanId);
    p.waiting = p.waiting.filter((id) => id !== newest.scanId);
    p.codes = p.codes.filter((c) => c !== newest.code);
    st.setRow(newest.scanId, 'undone', 'never sent');
    backInHand(st, p);
    st.say('undone', `${newest.code} · ${p.code} ${countText(p, shownCount(p))}`, false);
    return st.render();
  }
  const answer = await call(st, '/api/scans/undo', { parentCode: p.code });
  if (!answer) return;
  const parent = answer.body.parent as Bag | undefined;
  if (answer.status >= 300 || !parent) {
    const error = answer.body.error;
    return st.say(outcomeOfError(error?.code), `${p.code}: ${error?.message ?? 'refused'}`, false);
  }
  const code = removedCode(answer.body.removed);
  st.sync(p, parent);
  p.codes = p.codes.filter((c) => c !== code);
  const row = st.state.rows.find(
    (r) => r.code === code && r.parentCode === p.code && (r.state === 'linked' || r.state === 'already_linked'),
  );
  if (row) st.setRow(row.id, 'undone', countText(parent, parent.childCount));
  backInHand(st, p);
  st.say('undone', `${code} · ${p.code} ${countText(parent, parent.childCount)}`, false);
  st.render();
}

/** Sends the outbox up to this parent's last unsent scan; false when that cannot happen now (offline, logged out). */
async function sendFirst(st: Station, code: string): Promise<boolean> {
  for (let round = 0; st.queue.waitingFor(code).length > 0; round += 1) {
    if (navigator.onLine === false || st.sender.blocked || (round > 0 && st.sender.offline) || round > 20) return false;
    await st.sender.kick();
  }
  return true;
}

export async function finishParent(st: Station): Promise<void> {
  const p = st.state.parent;
  if (!p) return;
  // Its scans still in the outbox go first (a dropped scan would finish the parent short).
  if (!(await sendFirst(st, p.code))) {
    const waiting = st.queue.waitingFor(p.code).length;
    st.view.flash(
      OUTCOMES.failed,
      `${waiting} scan${waiting === 1 ? '' : 's'} of ${p.code} not sent yet: finish once they are`,
      'Not sent yet',
    );
    return play(OUTCOMES.failed.notes);
  }
  if (st.state.parent !== p) return; // the answers completed it (30/30) or refused it: nothing left to finish
  const n = p.count ?? 0;
  if (p.capacity !== null && n < p.capacity) {
    const ok = await st.view.confirm(`Finish ${p.code} at ${n}/${p.capacity}?`, 'Yes, finish');
    if (!ok) return;
  }
  const answer = await call(st, `/api/bags/${encodeURIComponent(p.code)}/complete`);
  if (!answer) return;
  const bag = answer.body.bag as Bag | undefined;
  if (answer.status >= 300 || !bag) {
    const error = answer.body.error;
    return st.say(outcomeOfError(error?.code), `${p.code}: ${error?.message ?? 'refused'}`, false);
  }
  st.sync(p, bag);
  if (st.state.parent === p) {
    st.state.parent = null;
    st.state.last = p;
  }
  st.say('completed', `${p.code} finished at ${countText(bag, bag.childCount)}: scan the next parent`, false);
  st.render();
}

/** Puts the parent in hand aside (it stays as it is, and can be scanned again to resume). */
export function newParent(st: Station): void {
  const p = st.state.parent;
  if (!p) return;
  st.state.last = p;
  st.state.parent = null;
  st.view.flash(OUTCOMES.ready, `${p.code} left at ${countText(p, shownCount(p))}`);
  st.render();
}
