/**
 * /bags: the filter form (GET, so a view can be bookmarked or shared) and one keyset page of
 * bags. No total and no page numbers: "Next page" follows the cursor as deep as the list goes
 * (totals are on the dashboard).
 */
import { html, type Html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import type { Bag } from '../../../domain/bags/bag.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';
import { bagHref, fillText } from './bag.view.js';
import { startOfDay } from '../audit.pages.js';

/** The form's fields as typed (dates are YYYY-MM-DD days of the display time zone). */
export interface BagListForm {
  type?: string | undefined;
  area?: string | undefined;
  status?: string | undefined;
  linked?: string | undefined;
  billed?: string | undefined;
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

export function listQuery(f: BagListForm, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (typeof v === 'string' && v !== '') q.set(k, v);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The export links' query: the same filters, days turned into the instants the API takes. */
function exportQuery(f: BagListForm, timeZone: string): string {
  const { from, to, ...rest } = f;
  const extra: Record<string, string> = {};
  try {
    if (from) extra.from = startOfDay(from, timeZone).toISOString();
    if (to) extra.to = new Date(startOfDay(to, timeZone).getTime() + 86_400_000).toISOString();
  } catch {
    // A day the page refused: the export goes without it, as the list did.
  }
  return listQuery(rest, extra);
}

function select(name: string, label: string, value: string | undefined, options: Array<[string, string]>): Html {
  return html`<label>${label} <select name="${name}"><option value="">any</option>${options.map(
    ([v, text]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${text}</option>`,
  )}</select></label>`;
}

export function bagListView(
  frame: PageFrame,
  f: BagListForm,
  items: Bag[],
  next: string | null,
  areas: Area[] | null,
  timeZone: string,
): Html {
  const yesNo: Array<[string, string]> = [
    ['true', 'yes'],
    ['false', 'no'],
  ];
  return layout(
    frame,
    html`<section class="card">
  <h1>Bags</h1>
  <form method="get" action="/bags" class="row filters">
    <label>Code <input name="q" value="${f.q ?? ''}" maxlength="255" placeholder="part of a code"></label>
    ${select('type', 'Type', f.type, [
      ['parent', 'parent'],
      ['child', 'child'],
    ])}
    ${
      areas
        ? select(
            'area',
            'Area',
            f.area,
            areas.map((a) => [a.id, a.name]),
          )
        : ''
    }
    ${select('status', 'Status', f.status, [
      ['pending', 'pending'],
      ['completed', 'completed'],
      ['linked', 'linked'],
      ['unlinked', 'unlinked'],
    ])}
    ${select('linked', 'Linked', f.linked, yesNo)}
    ${select('billed', 'Billed', f.billed, yesNo)}
    <label>Scanned by <input name="user" value="${f.user ?? ''}" maxlength="64" placeholder="username"></label>
    <label>From <input name="from" type="date" value="${f.from ?? ''}"></label>
    <label>To <input name="to" type="date" value="${f.to ?? ''}"></label>
    <button class="primary">Filter</button>
    <a class="button" href="/bags">Clear</a>
    <a class="button" href="/api/exports/bags.csv${exportQuery(f, timeZone)}">Export CSV</a>
    <a class="button" href="/api/exports/bags.xlsx${exportQuery(f, timeZone)}">Export XLSX</a>
  </form>
  <p class="muted">Newest first. Times in ${timeZone}; dates are whole days there.</p>
  <div class="table-wrap"><table class="list bags">
    <thead><tr><th>Code</th><th>Type</th><th>Area</th><th>Status</th><th>Parent</th><th>Bill</th><th>First scanned</th></tr></thead>
    <tbody>
    ${items.length === 0 ? html`<tr><td colspan="7" class="muted">No bags match.</td></tr>` : ''}
    ${items.map(
      (b) => html`<tr>
      <td><a href="${bagHref(b.code)}">${b.code}</a></td>
      <td>${b.type}${b.kind ? html` <small class="muted">${b.kind}</small>` : ''}</td>
      <td>${b.area}</td>
      <td>${fillText(b)}</td>
      <td>${b.parentCode ? html`<a href="${bagHref(b.parentCode)}">${b.parentCode}</a>` : ''}</td>
      <td>${b.billId ?? ''}</td>
      <td>${formatTime(b.createdAt, timeZone)}</td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  <p class="row">${next ? html`<a class="button" href="/bags${listQuery(f, { cursor: next })}">Next page →</a>` : ''}
  ${frame.path === '/bags' && next === null && items.length > 0 ? html`<span class="muted">End of the list.</span>` : ''}</p>
</section>`,
  );
}
