/** Bag kinds on the settings page: one form per kind (pattern, children per parent, weight, active). */
import { html } from '../../../lib/html.js';
import type { BagKind } from '../../../domain/codes.js';

export function kindsSection(csrfToken: string, kinds: BagKind[]) {
  const csrf = html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
  return html`<section class="card" id="bag-kinds">
  <h2>Bag kinds</h2>
  <p class="muted">A pattern is a regular expression over the upper-case code, anchored with ^ and $ (e.g. <code>^SB\\d{5}$</code>).
  Changes apply from the next scan; bags already created keep their capacity.</p>
  ${kinds.map(
    (k) => html`<form method="post" action="/admin/settings/kinds/${k.id}" class="row kind" id="kind-${k.id}">${csrf}
    <strong>${k.id}</strong> <span class="muted">${k.type}</span>
    <label>Name <input name="name" value="${k.name}" required maxlength="64"></label>
    <label>Pattern <input name="pattern" value="${k.pattern}" required maxlength="200" spellcheck="false" autocapitalize="none"></label>
    ${
      k.type === 'parent'
        ? html`<label>Children per parent <input name="capacity" type="number" min="1" max="1000" value="${k.capacity ?? ''}" required></label>`
        : ''
    }
    <label>${k.type === 'parent' ? 'Expected weight (kg)' : 'Weight each (kg)'} <input name="expectedWeightKg" type="number" min="1" max="1000" value="${k.expectedWeightKg}" required></label>
    <label>Status <select name="active">
      <option value="true"${k.active ? html` selected` : ''}>active</option>
      <option value="false"${k.active ? '' : html` selected`}>inactive</option>
    </select></label>
    <button>Save</button>
  </form>`,
  )}
</section>`;
}
