/**
 * The bill page (SPEC §5): header, progress (parents linked / capacity), actual vs expected
 * weight and the difference, every parent (keyset pages) with its child count, the timeline,
 * and the actions the viewer's role allows: scan parents, complete (short with a reason:
 * admins), reopen, edit, delete (admins), remove a parent, print the dispatch sheet.
 * Plain forms (Post/Redirect/Get); no script needed.
 */
import { html, type Html } from '../../../lib/html.js';
import type { Bag } from '../../../domain/bags/bag.js';
import type { BillDetail } from '../../../domain/bills/bills.service.js';
import type { BillRecord } from '../../../domain/bills/bill.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';
import { timelineTable } from './timeline.view.js';
import { billHref, statusBadge } from './bill-list.view.js';

export interface BillPageOptions {
  timeZone: string;
  canWrite: boolean;
  canDelete: boolean;
  isAdmin: boolean;
  moreParents: string | null;
  olderHistory: string | null;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
const bagHref = (code: string) => `/bags/${encodeURIComponent(code)}`;

/** Progress and weights: shared by the bill page and the dispatch sheet. */
export function billFigures(b: BillRecord): Html {
  const diff = b.actualWeightKg - b.expectedWeightKg;
  return html`<dl class="facts bill-figures">
  <div><dt>Parents</dt><dd><span class="bill-n">${b.parentCount}</span> / ${b.capacity}
    <progress value="${b.parentCount}" max="${b.capacity}" aria-label="Parents linked">${b.parentCount}/${b.capacity}</progress></dd></div>
  <div><dt>Children</dt><dd>${b.childCount}</dd></div>
  <div><dt>Actual weight</dt><dd class="bill-actual">${b.actualWeightKg} kg</dd></div>
  <div><dt>Expected weight</dt><dd class="bill-expected">${b.expectedWeightKg} kg</dd></div>
  <div><dt>Difference</dt><dd class="bill-diff ${diff === 0 ? 'diff-zero' : diff < 0 ? 'diff-under' : 'diff-over'}">${signed(diff)} kg</dd></div>
</dl>`;
}

export function billFacts(b: BillRecord, timeZone: string): Html {
  return html`<dl class="facts">
  <div><dt>Destination</dt><dd>${b.destination ?? '—'}</dd></div>
  <div><dt>Vehicle</dt><dd>${b.vehicleNumber ?? '—'}</dd></div>
  <div><dt>Description</dt><dd>${b.description ?? '—'}</dd></div>
  <div><dt>Created</dt><dd>${formatTime(b.createdAt, timeZone)} · ${b.createdBy ?? '—'}</dd></div>
  ${b.completedAt ? html`<div><dt>Completed</dt><dd>${formatTime(b.completedAt, timeZone)}${b.completedShortReason ? html` · short: ${b.completedShortReason}` : ''}</dd></div>` : ''}
</dl>`;
}

function parentRows(frame: PageFrame, b: BillRecord, parents: Bag[], canRemove: boolean): Html {
  return html`${parents.map(
    (p) => html`<tr class="${p.status === 'pending' ? 'unfinished' : ''}">
    <td><a href="${bagHref(p.code)}">${p.code}</a></td>
    <td>${p.kind ?? '—'}</td>
    <td>${p.childCount} / ${p.capacity ?? '?'}</td>
    <td>${p.status === 'pending' ? html`<span class="warn">⚠ not finished</span>` : p.status}</td>
    <td>${p.area}</td>
    ${
      canRemove
        ? html`<td><form method="post" action="${billHref(b.billId, `/parents/${encodeURIComponent(p.code)}/remove`)}" class="inline">
        <input type="hidden" name="_csrf" value="${frame.csrfToken}"><button class="small">Remove</button></form></td>`
        : ''
    }
  </tr>`,
  )}`;
}

function actions(frame: PageFrame, b: BillRecord, o: BillPageOptions): Html {
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  const open = b.status !== 'completed';
  const short = b.parentCount < b.capacity;
  return html`<div class="row bill-actions no-print">
  ${o.canWrite && open ? html`<a class="button primary" href="${billHref(b.billId, '/scan')}">Scan parents</a>` : ''}
  ${
    o.canWrite && open && (!short || o.isAdmin)
      ? html`<form method="post" action="${billHref(b.billId, '/complete')}" class="row">${csrf}
      ${short ? html`<input name="reason" required maxlength="500" placeholder="Reason to complete short" aria-label="Reason to complete short">` : ''}
      <button class="primary">${short ? 'Complete short' : 'Complete bill'}</button></form>`
      : ''
  }
  ${o.canWrite && open && short && !o.isAdmin ? html`<span class="muted">${b.capacity - b.parentCount} more parent${b.capacity - b.parentCount === 1 ? '' : 's'} to complete</span>` : ''}
  ${o.canWrite && !open ? html`<form method="post" action="${billHref(b.billId, '/reopen')}" class="inline">${csrf}<button>Reopen</button></form>` : ''}
  <a class="button" href="${billHref(b.billId, '/print')}">Dispatch sheet</a>
</div>`;
}

function editForm(frame: PageFrame, b: BillRecord, o: BillPageOptions): Html {
  if (!o.canWrite) return html``;
  return html`<details class="card no-print"><summary>Edit or delete</summary>
  <form method="post" action="${billHref(b.billId, '/edit')}" class="stack">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <label>Capacity <input name="capacity" type="number" min="${Math.max(1, b.parentCount)}" max="500" value="${b.capacity}"${b.status === 'completed' ? html` readonly` : ''}></label>
    <label>Destination <input name="destination" maxlength="200" value="${b.destination ?? ''}"></label>
    <label>Vehicle number <input name="vehicleNumber" maxlength="50" value="${b.vehicleNumber ?? ''}"></label>
    <label>Description <input name="description" maxlength="200" value="${b.description ?? ''}"></label>
    <button>Save changes</button>
  </form>
  ${
    o.canDelete
      ? html`<form method="post" action="${billHref(b.billId, '/delete')}" class="row bill-delete">
      <input type="hidden" name="_csrf" value="${frame.csrfToken}">
      <label class="check"><input type="checkbox" name="confirm" value="yes" required> Delete this bill (its parents become unbilled)</label>
      <button class="danger">Delete bill</button></form>`
      : ''
  }
</details>`;
}

/** SPEC §4 lets a pending parent join a bill; the bill page says which ones are not finished yet. */
function unfinishedNote(parents: Bag[]): Html {
  const open = parents.filter((p) => p.status === 'pending');
  if (open.length === 0) return html``;
  return html`<p class="flash flash-warn bill-unfinished" role="status">⚠ ${open.length} parent${open.length === 1 ? ' is' : 's are'} not finished: ${open.map((p, i) => html`${i ? ', ' : ''}<a href="${bagHref(p.code)}">${p.code}</a> ${p.childCount}/${p.capacity ?? '?'}`)}</p>`;
}

export function billView(frame: PageFrame, d: BillDetail, o: BillPageOptions): Html {
  const b = d.bill;
  const canRemove = o.canWrite && b.status !== 'completed';
  return layout(
    frame,
    html`<section class="card bill-head">
  <h1>Bill <span class="code">${b.billId}</span> ${statusBadge(b.status)}</h1>
  ${billFigures(b)}
  ${billFacts(b, o.timeZone)}
  ${actions(frame, b, o)}
</section>
${editForm(frame, b, o)}
<section class="card">
  <h2>Parents</h2>
  ${unfinishedNote(d.parents)}
  <div class="table-wrap"><table class="list bill-parents">
    <thead><tr><th>Parent</th><th>Kind</th><th>Children</th><th>Status</th><th>Area</th>${canRemove ? html`<th></th>` : ''}</tr></thead>
    <tbody>
    ${d.parents.length === 0 ? html`<tr><td colspan="6" class="muted">No parents yet.</td></tr>` : parentRows(frame, b, d.parents, canRemove)}
    </tbody>
  </table></div>
  ${o.moreParents ? html`<p><a class="button" href="${o.moreParents}">More parents →</a></p>` : ''}
</section>
<section class="card">
  <h2>History</h2>
  ${timelineTable(d.history, b.billId, o.timeZone, o.olderHistory)}
</section>`,
  );
}
