/**
 * The bag page (SPEC §5): header (code, type and kind, area, status, fill), its parent or its
 * children (keyset pages), its bill, and the full timeline. Every value is escaped by the
 * template; codes in links are URL-encoded (legacy codes hold spaces and slashes).
 */
import { html, type Html } from '../../../lib/html.js';
import type { Bag } from '../../../domain/bags/bag.js';
import type { BagPage } from '../../../domain/bags/bag-page.service.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';
import { timelineTable } from './timeline.view.js';
import { correctionsCard, type CorrectionRights } from './corrections.view.js';

export const bagHref = (code: string) => `/bags/${encodeURIComponent(code)}`;
export const billHref = (billId: string) => `/bills/${encodeURIComponent(billId)}`;

/** "27/30 · short" for a parent finished early; "linked"/"unlinked" for a child. */
export function fillText(b: Bag): string {
  if (b.type !== 'parent') return b.status;
  const fill = `${b.childCount}/${b.capacity ?? '?'}`;
  const short = b.status === 'completed' && b.capacity !== null && b.childCount < b.capacity;
  return `${b.status} · ${fill}${short ? ' · short' : ''}`;
}

export interface BagPageLinks {
  timeZone: string;
  /** Whether the viewer may open bill pages (otherwise the bill id is plain text). */
  billLinks: boolean;
  moreChildren: string | null;
  olderHistory: string | null;
  /** Which supervisor corrections the viewer may make (none for dispatchers). */
  corrections: CorrectionRights;
}

function billCell(p: BagPage, links: BagPageLinks): Html {
  const billId = p.bill?.billId ?? p.bag.billId ?? p.parent?.billId ?? null;
  if (billId === null) return html`<span class="muted">not on a bill</span>`;
  const name = links.billLinks ? html`<a href="${billHref(billId)}">${billId}</a>` : html`${billId}`;
  return p.bill ? html`${name} <span class="muted">${p.bill.status} · ${p.bill.parentCount}/${p.bill.capacity} parents</span>` : name;
}

export function bagView(frame: PageFrame, p: BagPage, links: BagPageLinks): Html {
  const { bag } = p;
  const tz = links.timeZone;
  return layout(
    frame,
    html`<section class="card bag-head">
  <h1><span class="code">${bag.code}</span> <small class="muted">${bag.type}${bag.kind ? html` · ${bag.kind}` : html` · legacy code`}</small></h1>
  <dl class="facts">
    <div><dt>Status</dt><dd>${fillText(bag)}</dd></div>
    <div><dt>Area</dt><dd>${bag.area}</dd></div>
    ${
      bag.type === 'child'
        ? html`<div><dt>Parent</dt><dd>${p.parent ? html`<a href="${bagHref(p.parent.code)}">${p.parent.code}</a> <span class="muted">${fillText(p.parent)}</span>` : html`<span class="muted">none</span>`}</dd></div>`
        : ''
    }
    <div><dt>Bill</dt><dd>${billCell(p, links)}</dd></div>
    <div><dt>First scanned</dt><dd>${formatTime(bag.createdAt, tz)}</dd></div>
  </dl>
</section>
${
  bag.type === 'parent'
    ? html`<section class="card">
  <h2>Children <small class="muted">${bag.childCount}${bag.capacity !== null ? html` of ${bag.capacity}` : ''}</small></h2>
  ${
    p.children.items.length === 0
      ? html`<p class="muted">No children on this page.</p>`
      : html`<div class="table-wrap"><table class="list children">
    <thead><tr><th>Code</th><th>Linked</th></tr></thead>
    <tbody>${p.children.items.map((c) => html`<tr><td><a href="${bagHref(c.code)}">${c.code}</a></td><td>${formatTime(c.linkedAt, tz)}</td></tr>`)}</tbody>
  </table></div>`
  }
  ${links.moreChildren ? html`<p><a class="button" href="${links.moreChildren}">More children →</a></p>` : ''}
</section>`
    : ''
}
${correctionsCard(frame.csrfToken, bag, p.parent, links.corrections)}
<section class="card">
  <h2>History</h2>
  <p class="muted">Newest first. Times in ${tz}.</p>
  ${timelineTable(p.history.items, bag.code, tz, links.olderHistory)}
</section>`,
  );
}
