/** Two-factor pages: set up (QR code + secret + confirm), backup codes (shown once), manage. */
import { html, type Html } from '../../../lib/html.js';
import type { TotpSetup, TotpStatus } from '../../../domain/auth/totp.service.js';
import { layout, type PageFrame } from './layout.view.js';

export function totpView(frame: PageFrame, status: TotpStatus, setup?: (TotpSetup & { qr: string }) | undefined, required = false) {
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  let body: Html;
  if (status.enabled) {
    body = html`<p>Two-factor login is <strong>on</strong>. ${status.backupCodesLeft} unused backup codes left.</p>
  <h2>New backup codes</h2>
  <form method="post" action="/profile/2fa/backup-codes" class="stack">${csrf}
    <label>Your password <input name="password" type="password" required maxlength="200" autocomplete="current-password"></label>
    <button>Make new backup codes</button>
  </form>
  <h2>Turn two-factor off</h2>
  <form method="post" action="/profile/2fa/disable" class="stack">${csrf}
    <label>Your password <input name="password" type="password" required maxlength="200" autocomplete="current-password"></label>
    <button>Turn off</button>
  </form>`;
  } else if (setup) {
    body = html`<ol>
    <li>Scan this QR code with an authenticator app (Google Authenticator, Aegis, 1Password…).</li>
    <li>Or type this key into the app: <code class="secret" id="totp-secret">${setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code></li>
    <li>Enter the 6-digit code the app shows.</li>
  </ol>
  <p><img class="qr" src="${setup.qr}" alt="QR code for your authenticator app" width="220" height="220"></p>
  <form method="post" action="/profile/2fa/confirm" class="stack">${csrf}
    <label>Code from the app <input name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="16" autofocus></label>
    <button class="primary">Turn on two-factor</button>
  </form>`;
  } else {
    body = html`<p>Two-factor login is <strong>off</strong>. With it on, logging in needs your password and a code from your phone.</p>
  <form method="post" action="/profile/2fa/setup" class="row">${csrf}<button class="primary">Set up two-factor</button></form>`;
  }
  return layout(
    frame,
    html`<section class="card">
  <h1>Two-factor login</h1>
  ${required && !status.enabled ? html`<p class="flash flash-error" role="alert">Two-factor login is required for admins: set it up to continue.</p>` : ''}
  ${body}
</section>`,
  );
}

export function backupCodesView(frame: PageFrame, codes: string[]) {
  return layout(
    frame,
    html`<section class="card">
  <h1>Your backup codes</h1>
  <p>Each code logs you in once when your phone is not at hand. Write them down or print them now:
  <strong>they are shown only this once.</strong></p>
  <ul class="backup-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
  <p><a class="button primary" href="/profile">Done</a></p>
</section>`,
  );
}
