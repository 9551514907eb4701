/**
 * /bills: every bill, newest first, with the search box (bill id prefix) and the status filter,
 * keyset pages ("Next page" carries the cursor), and /bills/new: the create form. The id field
 * takes a scanner: it has focus, and Enter moves to the next field (public/build/bills.js).
 */
import { html, type Html } from '../../../lib/html.js';
import type { BillRecord } from '../../../domain/bills/bill.js';
import { BILL_STATUSES } from '../../../domain/bills/bill.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

export const billHref = (billId: string, tail = '') => `/bills/${encodeURIComponent(billId)}${tail}`;

export interface BillListForm {
  q?: string | undefined;
  status?: string | undefined;
}

export const statusBadge = (status: string) => html`<span class="bill-status bill-status-${status}">${status}</span>`;

export function billListView(
  frame: PageFrame,
  form: BillListForm,
  bills: BillRecord[],
  next: string | null,
  canWrite: boolean,
  timeZone: string,
): Html {
  const query = new URLSearchParams({ ...(form.q ? { q: form.q } : {}), ...(form.status ? { status: form.status } : {}) });
  const nextHref = next ? `/bills?${new URLSearchParams([...query, ['cursor', next]]).toString()}` : null;
  return layout(
    frame,
    html`<section class="card">
  <div class="row bill-list-head"><h1>Bills</h1>${canWrite ? html`<a class="button primary" href="/bills/new">New bill</a>` : ''}</div>
  <form class="row filters" method="get" action="/bills" role="search">
    <label>Bill id starts with <input name="q" value="${form.q ?? ''}" maxlength="50" autocomplete="off" spellcheck="false"></label>
    <label>Status <select name="status">
      <option value="">any</option>
      ${BILL_STATUSES.map((s) => html`<option value="${s}"${form.status === s ? html` selected` : ''}>${s}</option>`)}
    </select></label>
    <button>Search</button>
    <a class="button" href="/api/exports/bills.csv${query.size ? `?${query.toString()}` : ''}">Export CSV</a>
    <a class="button" href="/api/exports/bills.xlsx${query.size ? `?${query.toString()}` : ''}">Export XLSX</a>
  </form>
  <div class="table-wrap"><table class="list bills">
    <thead><tr><th>Bill</th><th>Status</th><th>Parents</th><th>Weight (kg)</th><th>Destination</th><th>Vehicle</th><th>Created</th></tr></thead>
    <tbody>
    ${bills.length === 0 ? html`<tr><td colspan="7" class="muted">No bills match.</td></tr>` : ''}
    ${bills.map(
      (b) => html`<tr>
      <td><a href="${billHref(b.billId)}"><strong>${b.billId}</strong></a></td>
      <td>${statusBadge(b.status)}</td>
      <td>${b.parentCount} / ${b.capacity}</td>
      <td>${b.actualWeightKg} / ${b.expectedWeightKg}</td>
      <td>${b.destination ?? ''}</td>
      <td>${b.vehicleNumber ?? ''}</td>
      <td>${formatTime(b.createdAt, timeZone)} <small class="muted">${b.createdBy ?? ''}</small></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  ${nextHref ? html`<p><a class="button" href="${nextHref}">Next page →</a></p>` : ''}
</section>`,
  );
}

export interface NewBillForm {
  billId?: string;
  capacity?: string;
  description?: string;
  destination?: string;
  vehicleNumber?: string;
}

export function newBillView(frame: PageFrame, f: NewBillForm = {}): Html {
  return layout(
    frame,
    html`<section class="card narrow">
  <h1>New bill</h1>
  <form method="post" action="/bills" class="stack" data-enter-next>
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <label>Bill id <input name="billId" value="${f.billId ?? ''}" required maxlength="50" autofocus autocomplete="off" autocapitalize="characters" spellcheck="false" class="scan-field"></label>
    <label>Capacity (parent bags, 1–500) <input name="capacity" value="${f.capacity ?? ''}" required type="number" min="1" max="500" inputmode="numeric"></label>
    <label>Destination <input name="destination" value="${f.destination ?? ''}" maxlength="200"></label>
    <label>Vehicle number <input name="vehicleNumber" value="${f.vehicleNumber ?? ''}" maxlength="50" autocapitalize="characters"></label>
    <label>Description <input name="description" value="${f.description ?? ''}" maxlength="200"></label>
    <button class="primary big">Create and scan parents</button>
  </form>
</section>`,
  );
}
