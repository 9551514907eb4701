/**
 * Return ticket pages (SPEC §11): /returns (tickets by status, and a form to open one),
 * /returns/{code} (figures, every bag it held with the bill's before/after, the timeline, and
 * commit / cancel / remove for an open ticket), and the confirmation page commit and cancel go
 * through (no script needed to confirm).
 */
import { html, type Html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import type { HistoryEvent } from '../../../domain/audit/event.js';
import { TICKET_STATUSES, type TicketBag, type TicketRecord } from '../../../domain/returns/ticket.js';
import { layout, type PageFrame } from './layout.view.js';
import { billHref } from './bill-list.view.js';
import { formatTime } from './format.js';
import { timelineTable } from './timeline.view.js';

export const ticketHref = (code: string, tail = '') => `/returns/${encodeURIComponent(code)}${tail}`;
const badge = (status: string) => html`<span class="bill-status ticket-status-${status}">${status}</span>`;

export function returnListView(
  frame: PageFrame,
  status: string | undefined,
  tickets: TicketRecord[],
  next: string | null,
  areas: Area[],
  timeZone: string,
): Html {
  const nextHref = next ? `/returns?${new URLSearchParams({ ...(status ? { status } : {}), cursor: next }).toString()}` : null;
  return layout(
    frame,
    html`<section class="card">
  <h1>Returns</h1>
  <p class="muted">Dealers send parent bags back: each return is a ticket. Scanning a parent onto an open ticket takes it off its bill.</p>
  <form class="row filters" method="post" action="/returns">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <label>Area <select name="area">${areas.map((a) => html`<option value="${a.id}">${a.name}</option>`)}</select></label>
    <label>Notes <input name="notes" maxlength="500" autocomplete="off" placeholder="dealer, vehicle…"></label>
    <button class="primary">Open a return ticket</button>
  </form>
  <form class="row filters" method="get" action="/returns">
    <label>Status <select name="status">
      <option value="">any</option>
      ${TICKET_STATUSES.map((s) => html`<option value="${s}"${status === s ? html` selected` : ''}>${s}</option>`)}
    </select></label>
    <button>Show</button>
  </form>
  <div class="table-wrap"><table class="list returns">
    <thead><tr><th>Ticket</th><th>Status</th><th>Area</th><th>Bags</th><th>Children</th><th>Weight (kg)</th><th>Notes</th><th>Opened</th><th>Closed</th></tr></thead>
    <tbody>
    ${tickets.length === 0 ? html`<tr><td colspan="9" class="muted">No tickets.</td></tr>` : ''}
    ${tickets.map(
      (t) => html`<tr>
      <td><a href="${ticketHref(t.code)}"><strong>${t.code}</strong></a></td>
      <td>${badge(t.status)}</td>
      <td>${t.area}</td>
      <td>${t.bagCount}</td>
      <td>${t.childCount}</td>
      <td>${t.weightKg}</td>
      <td>${t.notes ?? ''}</td>
      <td>${formatTime(t.createdAt, timeZone)} <small class="muted">${t.createdBy ?? ''}</small></td>
      <td>${t.closedAt ? formatTime(t.closedAt, timeZone) : ''}</td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  ${nextHref ? html`<p><a class="button" href="${nextHref}">Next page →</a></p>` : ''}
</section>`,
  );
}

const STATE_TEXT: Record<TicketBag['state'], string> = {
  open: 'on ticket',
  committed: 'returned',
  cancelled: 'ticket cancelled',
  removed: 'taken off',
};
const PUT_BACK_TEXT = { back_on_bill: 'back on its bill', left_unbilled: 'left unbilled' } as const;

function bagRow(t: TicketRecord, b: TicketBag, csrf: string, timeZone: string): Html {
  const before = b.billBefore;
  const after = b.billAfter;
  return html`<tr class="ticket-bag-${b.state}">
    <td><a href="/bags/${encodeURIComponent(b.code)}"><strong>${b.code}</strong></a> <small class="muted">${b.kind ?? ''}</small></td>
    <td>${STATE_TEXT[b.state]}${b.putBack ? html` · ${PUT_BACK_TEXT[b.putBack]}` : ''}</td>
    <td>${b.childCount}</td>
    <td>${b.weightKg}</td>
    <td><a href="${billHref(b.billId)}">${b.billId}</a></td>
    <td class="figures">${before.parentCount} → ${after.parentCount} parents · ${before.actualWeightKg} → ${after.actualWeightKg} kg actual · ${before.expectedWeightKg} → ${after.expectedWeightKg} kg expected</td>
    <td>${formatTime(b.addedAt, timeZone)} <small class="muted">${b.addedBy ?? ''}</small></td>
    <td>${
      t.status === 'open' && b.state === 'open'
        ? html`<form method="post" action="${ticketHref(t.code, `/bags/${encodeURIComponent(b.code)}/remove`)}"><input type="hidden" name="_csrf" value="${csrf}"><button class="small">Take off</button></form>`
        : ''
    }</td>
  </tr>`;
}

export function ticketView(
  frame: PageFrame,
  d: { ticket: TicketRecord; bags: TicketBag[]; history: HistoryEvent[] },
  timeZone: string,
): Html {
  const t = d.ticket;
  const open = t.status === 'open';
  return layout(
    frame,
    html`<section class="card" id="ticket" data-status="${t.status}">
  <div class="row bill-list-head"><h1>Return ${t.code}</h1> ${badge(t.status)}</div>
  <dl class="facts">
    <div><dt>Area</dt><dd>${t.area}</dd></div>
    <div><dt>Bags</dt><dd id="ticket-bags">${t.bagCount}</dd></div>
    <div><dt>Children</dt><dd>${t.childCount}</dd></div>
    <div><dt>Weight</dt><dd>${t.weightKg} kg</dd></div>
    <div><dt>Opened</dt><dd>${formatTime(t.createdAt, timeZone)} · ${t.createdBy ?? '—'}</dd></div>
    <div><dt>Closed</dt><dd>${t.closedAt ? formatTime(t.closedAt, timeZone) : '—'}</dd></div>
    ${t.notes ? html`<div><dt>Notes</dt><dd>${t.notes}</dd></div>` : ''}
  </dl>
  ${
    open
      ? html`<div class="row">
    <a class="button primary" href="${ticketHref(t.code, '/scan')}">Return station: scan parents</a>
    <a class="button" href="${ticketHref(t.code, '/confirm?action=commit')}">Commit…</a>
    <a class="button danger" href="${ticketHref(t.code, '/confirm?action=cancel')}">Cancel ticket…</a>
  </div>`
      : ''
  }
  <h2>Bags</h2>
  <div class="table-wrap"><table class="list ticket-bags">
    <thead><tr><th>Parent</th><th>State</th><th>Children</th><th>Weight (kg)</th><th>From bill</th><th>Bill before → after</th><th>Returned</th><th></th></tr></thead>
    <tbody>
    ${d.bags.length === 0 ? html`<tr><td colspan="8" class="muted">No bags yet.</td></tr>` : ''}
    ${d.bags.map((b) => bagRow(t, b, frame.csrfToken, timeZone))}
    </tbody>
  </table></div>
  <h2>Timeline</h2>
  ${timelineTable(d.history, t.code, timeZone, null)}
</section>`,
  );
}

export function confirmView(frame: PageFrame, t: TicketRecord, action: 'commit' | 'cancel'): Html {
  const text =
    action === 'commit'
      ? `Commit ${t.code}? Its ${t.bagCount} bag(s) stay off their bills for good; the ticket cannot change afterwards.`
      : `Cancel ${t.code}? Each of its ${t.bagCount} bag(s) goes back onto its bill if that bill is open and has room; otherwise it stays unbilled.`;
  return layout(
    frame,
    html`<section class="card">
  <h1>${action === 'commit' ? 'Commit' : 'Cancel'} return ${t.code}</h1>
  <p>${text}</p>
  <form method="post" action="${ticketHref(t.code, `/${action}`)}" class="row">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <input type="hidden" name="confirm" value="yes">
    <button class="primary${action === 'cancel' ? ' danger' : ''}">Yes, ${action === 'commit' ? 'commit' : 'cancel'} it</button>
    <a class="button" href="${ticketHref(t.code)}">No, go back</a>
  </form>
</section>`,
  );
}
