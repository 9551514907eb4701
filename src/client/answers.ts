/**
 * What a server answer to a queued scan means for the station: the parent's confirmed count and
 * status, the row's final state, a completed parent sending the station back to parent mode, a
 * refused parent taking the children queued behind it along, a refused child putting a parent
 * the station had counted full back in hand, and which feedback to give.
 */
import type { Answer, Bag } from './api.js';
import { otherParentOf, outcomeOfError, type OutcomeKey } from './outcomes.js';
import type { QueuedScan } from './queue.js';
import { countText, heldParent, shownCount } from './state.js';
import type { Station } from './station.js';

export function applyParentAnswer(st: Station, item: QueuedScan, answer: Answer, quiet: boolean): void {
  const s = st.state;
  const p = st.find(item.code);
  const bag = answer.body.bag as Bag | undefined;
  if (answer.status < 300 && bag) {
    const outcome: OutcomeKey = answer.body.outcome === 'created' ? 'created' : 'resumed';
    if (p) st.sync(p, bag);
    st.setRow(item.scanId, outcome, countText(bag, bag.childCount));
    if (bag.status === 'completed' && p && s.parent === p) {
      s.parent = null;
      s.last = p;
      return st.say('parent_completed', `${bag.code} is ${countText(bag, bag.childCount)}: scan the next parent`, quiet);
    }
    return st.say(outcome, `${bag.code} · ${countText(bag, bag.childCount)}`, quiet);
  }
  const error = answer.body.error;
  const key = outcomeOfError(error?.code);
  st.setRow(item.scanId, key, '');
  if (p) {
    // Not a parent this station may fill: drop it, and the children queued behind it.
    if (s.parent === p) s.parent = null;
    if (s.last === p) s.last = null;
    for (const q of st.queue.waitingFor(item.code)) {
      if (q.kind !== 'child') continue;
      void st.queue.remove(q.scanId);
      st.setRow(q.scanId, 'skipped', '');
    }
  }
  st.say(key, error?.message ?? item.code, quiet);
}

export function applyChildAnswer(st: Station, item: QueuedScan, answer: Answer, quiet: boolean): void {
  const s = st.state;
  const p = st.find(item.parentCode ?? '');
  if (p) p.waiting = p.waiting.filter((id) => id !== item.scanId);
  const parent = answer.body.parent as Bag | undefined;
  if (answer.status < 300 && parent) {
    const outcome: OutcomeKey = answer.body.outcome === 'already_linked' ? 'already_linked' : 'linked';
    const wasComplete = p?.status === 'completed';
    if (p) st.sync(p, parent);
    st.setRow(item.scanId, outcome, countText(parent, parent.childCount));
    if (p && parent.status === 'completed' && !wasComplete) {
      if (s.parent === p) {
        s.parent = null;
        s.last = p;
      }
      return st.say('completed', `${parent.code} · ${countText(parent, parent.childCount)}: scan the next parent`, quiet);
    }
    // Put aside, or another parent scanned, before this answer came: its row and its tone
    // confirm the scan, and the screen keeps saying what the station waits for now.
    if (!p || heldParent(s) !== p) return st.tone(outcome, quiet);
    return st.say(outcome, `${item.code} · ${countText(parent, parent.childCount)}`, quiet);
  }
  const error = answer.body.error;
  const key = outcomeOfError(error?.code);
  const other = key === 'other_parent' ? otherParentOf(error) : undefined;
  st.setRow(item.scanId, key, other ? `in ${other}` : '');
  let detail = other ? `${item.code} belongs to ${other}` : (error?.message ?? item.code);
  if (p) {
    p.codes = p.codes.filter((c) => c !== item.code);
    if (p.countedFull && s.parent === null && s.last === p && p.status !== 'completed' && key !== 'full' && key !== 'parent_completed') {
      // The station had counted it full; it is not, so it is back in hand.
      p.countedFull = false;
      s.parent = p;
      s.last = null;
      detail += ` · ${p.code} is ${countText(p, shownCount(p))}`;
    }
  }
  st.say(key, detail, quiet);
}
