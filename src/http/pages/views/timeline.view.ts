/**
 * A history timeline table (bag page, and any page about one thing): when, who, what, outcome,
 * from where. Refused attempts are marked, not hidden: they are what people look for when
 * something went wrong at a station.
 */
import { html, type Html } from '../../../lib/html.js';
import type { HistoryEvent } from '../../../domain/audit/event.js';
import { formatTime } from './format.js';
import { isRefusal, outcomeText, reasonOf } from './outcome-text.js';

export { isRefusal };

/** What was done; a refused attempt is named as the attempt (TRIED), never as if it happened. */
const ACTIONS: Record<string, string> = {
  'scan.parent': 'Parent scan',
  'scan.child': 'Child scan',
  'scan.undo': 'Undo',
  'scan.unlink': 'Unlink',
  'bag.complete': 'Finish parent',
  'bag.reopen': 'Reopen parent',
  'bag.delete': 'Delete bag',
  'bill.create': 'Bill created',
  'bill.edit': 'Bill edited',
  'bill.link': 'Added to bill',
  'bill.unlink': 'Removed from bill',
  'bill.complete': 'Bill completed',
  'bill.reopen': 'Bill reopened',
  'bill.delete': 'Bill deleted',
  'return.create': 'Return ticket opened',
  'return.add': 'Returned',
  'return.remove': 'Taken off return',
  'return.commit': 'Return committed',
  'return.cancel': 'Return cancelled',
  'bag.move': 'Move child',
};
const TRIED: Record<string, string> = {
  'bag.complete': 'Finish parent',
  'bag.reopen': 'Reopen parent',
  'bag.delete': 'Delete bag',
  'bill.create': 'Create bill',
  'bill.edit': 'Edit bill',
  'bill.link': 'Add to bill',
  'bill.unlink': 'Remove from bill',
  'bill.complete': 'Complete bill',
  'bill.reopen': 'Reopen bill',
  'bill.delete': 'Delete bill',
};

export const actionLabel = (action: string, outcome?: string) =>
  (outcome !== undefined && isRefusal(outcome) ? TRIED[action] : undefined) ?? ACTIONS[action] ?? action;

/** "SB00001 → C0000001": which bag the row is about, and the other bag it names. */
function what(e: HistoryEvent, about: string): Html {
  const other = e.subject === about ? e.related : e.subject;
  if (!other) return html``;
  return html`<a href="/bags/${encodeURIComponent(other)}">${other}</a>`;
}

export function timelineTable(events: HistoryEvent[], about: string, timeZone: string, olderHref: string | null): Html {
  return html`<div class="table-wrap"><table class="list timeline">
  <thead><tr><th>When</th><th>Who</th><th>What</th><th>With</th><th>Outcome</th><th>Where</th></tr></thead>
  <tbody>
  ${events.length === 0 ? html`<tr><td colspan="6" class="muted">No history yet.</td></tr>` : ''}
  ${events.map(
    (e) => html`<tr class="${isRefusal(e.outcome) ? 'refused' : 'accepted'}">
    <td>${formatTime(e.at, timeZone)}</td>
    <td>${e.actorName ?? '—'}</td>
    <td>${actionLabel(e.action, e.outcome)}</td>
    <td>${what(e, about)}</td>
    <td><span class="outcome ${isRefusal(e.outcome) ? 'outcome-refused' : 'outcome-ok'}" title="${e.outcome}">${outcomeText(e)}</span>${reasonOf(e) ? html`<br><small class="reason">Reason: ${reasonOf(e)}</small>` : ''}</td>
    <td>${e.station ?? ''}${e.ip ? html` <small class="muted">${e.ip}</small>` : ''}</td>
  </tr>`,
  )}
  </tbody>
</table></div>
${olderHref ? html`<p><a class="button" href="${olderHref}">Older history →</a></p>` : ''}`;
}
