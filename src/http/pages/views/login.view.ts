import { html } from '../../../lib/html.js';
import { layout, type PageFrame } from './layout.view.js';

export function loginView(frame: PageFrame, form: { username?: string; next: string; error?: string }) {
  return layout(
    frame,
    html`<section class="card narrow">
  <h1>Log in</h1>
  ${form.error ? html`<p class="flash flash-error" role="alert">${form.error}</p>` : ''}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <input type="hidden" name="next" value="${form.next}">
    <label>Username <input name="username" autocomplete="username" autocapitalize="none" required maxlength="64" value="${form.username ?? ''}" autofocus></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
    <button class="primary big">Log in</button>
  </form>
</section>`,
  );
}
