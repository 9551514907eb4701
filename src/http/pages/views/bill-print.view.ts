/**
 * The dispatch sheet that travels with the truck: bill header, every parent with its child
 * count, totals and weights, and signature lines. public/bills.css holds its print rules (A4,
 * no navigation); the Print button is wired by public/build/bills.js (no inline script).
 */
import { html, type Html } from '../../../lib/html.js';
import type { Bag } from '../../../domain/bags/bag.js';
import type { BillRecord } from '../../../domain/bills/bill.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';
import { billFacts, billFigures } from './bill.view.js';
import { billHref, statusBadge } from './bill-list.view.js';

export function billPrintView(frame: PageFrame, b: BillRecord, parents: Bag[], timeZone: string, printedAt: Date): Html {
  return layout(
    frame,
    html`<article class="dispatch-sheet">
  <p class="row no-print"><button type="button" class="primary" data-print>Print</button> <a href="${billHref(b.billId)}">Back to the bill</a></p>
  <header>
    <h1>Dispatch sheet · <span class="code">${b.billId}</span> ${statusBadge(b.status)}</h1>
    <p class="muted">Printed ${formatTime(printedAt, timeZone)} (${timeZone})</p>
  </header>
  ${billFacts(b, timeZone)}
  ${billFigures(b)}
  <table class="list sheet-parents">
    <thead><tr><th>#</th><th>Parent bag</th><th>Kind</th><th>Children</th><th>Area</th></tr></thead>
    <tbody>
    ${parents.map((p, i) => html`<tr><td>${i + 1}</td><td class="code">${p.code}</td><td>${p.kind ?? '—'}</td><td>${p.childCount} / ${p.capacity ?? '?'}</td><td>${p.area}</td></tr>`)}
    </tbody>
    <tfoot><tr><th></th><th>${b.parentCount} parents</th><th></th><th>${b.childCount} children</th><th>${b.actualWeightKg} / ${b.expectedWeightKg} kg</th></tr></tfoot>
  </table>
  <div class="signatures">
    <div>Loaded by</div><div>Driver</div><div>Checked by</div>
  </div>
</article>`,
  );
}
