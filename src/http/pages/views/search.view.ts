/**
 * /search?q= when there is no exact hit (an exact one redirects straight to its page): the
 * query as understood after normalisation, then bag and bill suggestions.
 */
import { html, type Html } from '../../../lib/html.js';
import type { SearchResult } from '../../../domain/search/search.service.js';
import { layout, type PageFrame } from './layout.view.js';
import { bagHref, billHref, fillText } from './bag.view.js';

export function searchView(frame: PageFrame, q: string, r: SearchResult, withBills: boolean): Html {
  const none = r.bags.length === 0 && r.bills.length === 0;
  return layout(
    frame,
    html`<section class="card">
  <h1>Search</h1>
  <form method="get" action="/search" class="row" role="search">
    <input name="q" type="search" value="${q}" maxlength="255" placeholder="Bag code or bill id" aria-label="Bag code or bill id" autofocus>
    <button class="primary">Search</button>
  </form>
  ${q.trim() === '' ? html`<p class="muted">Type or scan a bag code${withBills ? ' or a bill id' : ''}.</p>` : ''}
  ${q.trim() !== '' && none ? html`<p class="flash flash-error" role="status">Nothing found for “${q}”.</p>` : ''}
  ${
    r.bags.length
      ? html`<h2>Bags</h2><ul class="hits bags">${r.bags.map(
          (b) =>
            html`<li><a href="${bagHref(b.code)}">${b.code}</a> <span class="muted">${b.type} · ${b.area} · ${fillText(b)}</span></li>`,
        )}</ul>`
      : ''
  }
  ${
    r.bills.length
      ? html`<h2>Bills</h2><ul class="hits bills">${r.bills.map(
          (b) =>
            html`<li><a href="${billHref(b.billId)}">${b.billId}</a> <span class="muted">${b.status} · ${b.parentCount}/${b.capacity} parents</span></li>`,
        )}</ul>`
      : ''
  }
</section>`,
  );
}
