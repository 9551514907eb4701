/**
 * The return station: the scan station's look (the .station classes of app.css: big count,
 * coloured flash per outcome, recent rows) for one open ticket. No text field to focus: the
 * keyboard wedge listens at page level. public/build/returns.js runs it; the ticket and its open
 * bags travel as a data-* attribute.
 */
import { html, type Html } from '../../../lib/html.js';
import type { TicketBag, TicketRecord } from '../../../domain/returns/ticket.js';
import type { User } from '../../../domain/users/user.js';
import { layout, type PageFrame } from './layout.view.js';
import { ticketHref } from './returns.view.js';

export function returnStationView(frame: PageFrame, user: User, t: TicketRecord, bags: TicketBag[]): Html {
  const data = JSON.stringify({
    code: t.code,
    status: t.status,
    bagCount: t.bagCount,
    childCount: t.childCount,
    weightKg: t.weightKg,
    bags: bags.filter((b) => b.state === 'open').map((b) => ({ code: b.code, childCount: b.childCount, billId: b.billId })),
  });
  return layout(
    frame,
    html`<section class="station return-station" id="return-station" data-tone="idle" data-user-id="${user.id}" data-ticket="${data}">
  <div class="st-bar">
    <span class="st-mode">Return station</span>
    <span class="st-net" id="rs-net" hidden>Offline</span>
    <span class="st-unsent" id="rs-unsent" role="status" hidden>0 not sent</span>
  </div>
  <div class="st-parent"><a href="${ticketHref(t.code)}" id="rs-ticket">${t.code}</a> <span class="bill-status" id="rs-status">${t.status}</span></div>
  <div class="st-count" aria-live="polite"><span id="rs-n">${t.bagCount}</span><span class="st-of"> bags</span></div>
  <p class="bs-weights"><span>Children <strong id="rs-children">${t.childCount}</strong></span> · <span>Weight <strong id="rs-weight">${t.weightKg}</strong> kg</span></p>
  <div class="st-flash" role="status" aria-live="assertive">
    <div class="st-title" id="rs-title">${t.status === 'open' ? 'Scan a returned parent bag' : `Ticket is ${t.status}`}</div>
    <div class="st-detail" id="rs-detail">Each parent leaves its bill and joins this ticket. The scanner works anywhere on this page.</div>
  </div>
  <div class="st-typed" id="rs-typed" aria-hidden="true"></div>
  <p class="st-blocked" id="rs-blocked" role="alert" hidden><span id="rs-blocked-text"></span> Unsent scans stay on this device. <a href="/login?next=${ticketHref(t.code, '/scan')}">Log in</a></p>
  <ol class="st-recent" id="rs-recent" aria-label="Last scans, newest first"></ol>
  <div class="st-actions">
    <a class="button big" href="${ticketHref(t.code)}">Ticket page</a>
  </div>
  <h2 class="bs-parents-title">Parents on this ticket</h2>
  <ul class="bs-parents" id="rs-bags" aria-label="Parents on this ticket, newest first"></ul>
  <noscript><p class="flash flash-error">The return station needs JavaScript.</p></noscript>
</section>`,
  );
}
