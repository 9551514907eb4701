/**
 * A confirmation step that needs no script (the CSP forbids inline script): the form's first
 * POST answers this page; its button posts the same fields again with confirm=yes, and "Keep"
 * goes back without changing anything. Used for completing a bill and taking a parent off it.
 */
import { html, type Html } from '../../../lib/html.js';
import { layout, type PageFrame } from './layout.view.js';

export interface Confirmation {
  question: string;
  /** What will happen, in a sentence or a few facts. */
  body: Html;
  action: string;
  /** Fields carried over from the first post (e.g. the short-completion reason). */
  fields?: Record<string, string | undefined>;
  yes: string;
  cancelHref: string;
  danger?: boolean;
}

export function confirmView(frame: PageFrame, c: Confirmation): Html {
  const carried = Object.entries(c.fields ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  return layout(
    frame,
    html`<section class="card confirm">
  <h1>${c.question}</h1>
  ${c.body}
  <form method="post" action="${c.action}" class="row confirm-actions">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <input type="hidden" name="confirm" value="yes">
    ${carried.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <button class="${c.danger ? 'danger' : 'primary'}" id="confirm-yes">${c.yes}</button>
    <a class="button" href="${c.cancelHref}" id="confirm-no">Keep the bill as it is</a>
  </form>
</section>`,
  );
}
