/** The own profile: account facts, password change, own sessions (end any), two-factor status. */
import { html } from '../../../lib/html.js';
import type { OwnSession } from '../../../domain/auth/sessions.service.js';
import type { TotpStatus } from '../../../domain/auth/totp.service.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

export interface ProfileData {
  sessions: OwnSession[];
  /** Present for users who may use two-factor (admins). */
  totp?: TotpStatus | undefined;
  timeZone: string;
}

export function profileView(frame: PageFrame, data: ProfileData) {
  const user = frame.user!;
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  const t = (d: Date | null) => formatTime(d, data.timeZone);
  return layout(
    frame,
    html`<section class="card">
  <h1>Profile</h1>
  <p><strong>${user.username}</strong> · ${user.role}${user.areaId ? html` · ${user.areaId}` : ''}${user.email ? html` · ${user.email}` : ''}</p>
  <p class="muted">Last login: ${t(user.lastLoginAt)} (${data.timeZone})</p>
</section>
<section class="card">
  <h2>Change password</h2>
  <form method="post" action="/profile/password" class="stack">${csrf}
    <label>Current password <input name="currentPassword" type="password" required maxlength="200" autocomplete="current-password"></label>
    <label>New password (10+ characters, not common, not your username) <input name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password"></label>
    <button class="primary">Change password</button>
  </form>
  <p class="muted">Changing your password ends your other sessions.</p>
</section>
${
  data.totp
    ? html`<section class="card" id="two-factor">
  <h2>Two-factor login</h2>
  <p>${data.totp.enabled ? html`<strong>On</strong> · ${data.totp.backupCodesLeft} backup codes left` : html`<strong>Off</strong>`}</p>
  <p><a class="button" href="/profile/2fa">${data.totp.enabled ? 'Manage two-factor' : 'Set up two-factor'}</a></p>
</section>`
    : ''
}
<section class="card">
  <h2>Your sessions</h2>
  <div class="table-wrap"><table class="list">
    <thead><tr><th>Device</th><th>Address</th><th>Started</th><th>Last seen</th><th></th></tr></thead>
    <tbody>
    ${data.sessions.map(
      (s) => html`<tr>
      <td>${s.userAgent ?? 'unknown device'}${s.current ? html` <strong>(this one)</strong>` : ''}</td>
      <td>${s.ip ?? '—'}</td>
      <td>${t(s.createdAt)}</td>
      <td>${t(s.lastSeenAt)}</td>
      <td><form method="post" action="/profile/sessions/${s.handle}/end" class="inline">${csrf}<button>${s.current ? 'Log out' : 'End'}</button></form></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  ${
    data.sessions.length > 1
      ? html`<form method="post" action="/profile/sessions/end-others" class="row">${csrf}<button>End all other sessions</button></form>`
      : ''
  }
</section>`,
  );
}
