/** The login form, and its second step (the two-factor code) for users who have it on. */
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

/** Step two: the password was right; the code is asked for (the password is never re-sent). */
export function loginCodeView(frame: PageFrame, form: { username: string; next: string; error?: string }) {
  return layout(
    frame,
    html`<section class="card narrow">
  <h1>Two-factor code</h1>
  <p>Hello <strong>${form.username}</strong>. Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
  ${form.error ? html`<p class="flash flash-error" role="alert">${form.error}</p>` : ''}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="_csrf" value="${frame.csrfToken}">
    <input type="hidden" name="next" value="${form.next}">
    <label>Code <input name="totp" autocomplete="one-time-code" inputmode="numeric" autocapitalize="none" required maxlength="16" autofocus></label>
    <button class="primary big">Verify</button>
  </form>
  <p><a href="/login">Start again</a></p>
</section>`,
  );
}
