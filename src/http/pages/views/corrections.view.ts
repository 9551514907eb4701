/**
 * Supervisor corrections on the bag page (SPEC §9 last bullet): unlink a child, move it to
 * another parent, reopen a completed parent, delete a bag nothing refers to. Plain forms with
 * the CSRF field (Post/Redirect/Get, no script); each asks for a reason the history keeps.
 * Only the actions the viewer's role may do are shown; the server checks again.
 */
import { html, type Html } from '../../../lib/html.js';
import type { Bag } from '../../../domain/bags/bag.js';
import { MAX_REASON } from '../../../domain/bags/reason.js';
import type { Flash } from '../form-action.js';

export interface CorrectionRights {
  unlink: boolean;
  reopen: boolean;
  delete: boolean;
}

const DONE: Record<string, string> = {
  unlinked: 'Child unlinked: it stays as an unlinked child.',
  moved: 'Child moved.',
  reopened: 'Parent reopened.',
  deleted: 'Bag deleted; its history stays in the audit log.',
};
export const correctionFlash = (done: string | undefined): Flash | undefined =>
  done && DONE[done] ? { kind: 'ok', text: DONE[done]! } : undefined;

const bagAction = (code: string, what: string) => `/bags/${encodeURIComponent(code)}/${what}`;

const reasonField = (id: string) =>
  html`<label for="${id}">Reason <input id="${id}" name="reason" required maxlength="${MAX_REASON}" autocomplete="off" placeholder="Why (kept in the history)"></label>`;

export function correctionsCard(csrf: string, bag: Bag, parent: Bag | null, rights: CorrectionRights): Html {
  const csrfField = html`<input type="hidden" name="_csrf" value="${csrf}">`;
  const forms: Html[] = [];
  if (rights.unlink && bag.type === 'child' && bag.parentCode !== null) {
    const locked = parent?.billId ? html` <span class="muted">(fails while bill ${parent.billId} is completed)</span>` : '';
    forms.push(html`<form method="post" action="${bagAction(bag.code, 'unlink')}" class="correction-unlink">${csrfField}
    <input type="hidden" name="parent" value="${bag.parentCode}">
    <h3>Unlink from ${bag.parentCode}${locked}</h3>
    ${reasonField('unlink-reason')}
    <button>Unlink</button></form>`);
    forms.push(html`<form method="post" action="${bagAction(bag.code, 'move')}" class="correction-move">${csrfField}
    <h3>Move to another parent</h3>
    <label for="move-to">Parent code <input id="move-to" name="to" required maxlength="255" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="e.g. SB00002"></label>
    ${reasonField('move-reason')}
    <button>Move</button></form>`);
  }
  if (rights.reopen && bag.type === 'parent' && bag.status === 'completed') {
    forms.push(html`<form method="post" action="${bagAction(bag.code, 'reopen')}" class="correction-reopen">${csrfField}
    <h3>Reopen this parent</h3>
    ${reasonField('reopen-reason')}
    <button>Reopen</button></form>`);
  }
  if (rights.delete && bag.childCount === 0 && bag.parentCode === null && bag.billId === null) {
    forms.push(html`<form method="post" action="${bagAction(bag.code, 'delete')}" class="correction-delete">${csrfField}
    <h3>Delete this bag</h3>
    ${reasonField('delete-reason')}
    <label class="check"><span><input type="checkbox" name="confirm" value="yes" required> Delete ${bag.code} (it has no links)</span></label>
    <button class="danger">Delete bag</button></form>`);
  }
  if (forms.length === 0 && !(rights.unlink && bag.type === 'parent')) return html``;
  return html`<section class="card corrections">
  <h2>Corrections</h2>
  ${bag.type === 'parent' && rights.unlink ? html`<p class="muted">To unlink or move a child, open it from the list of children.</p>` : ''}
  ${forms}
</section>`;
}
