/** Admin user list (last login, scans today / 7 days) with create, edit (role, area, active) and password reset forms. */
import { html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import type { User } from '../../../domain/users/user.js';
import { ROLES } from '../../../domain/actor.js';
import type { ScanCounts } from '../../../domain/users/activity.service.js';
import { layout, type PageFrame } from './layout.view.js';
import { formatTime } from './format.js';

const roleOptions = (selected: string) =>
  ROLES.map((r) => html`<option value="${r}"${r === selected ? html` selected` : ''}>${r}</option>`);
const areaOptions = (areas: Area[], selected: string | null) => [
  html`<option value="">— no area —</option>`,
  ...areas.map((a) => html`<option value="${a.id}"${a.id === selected ? html` selected` : ''}>${a.name}</option>`),
];

export function usersView(frame: PageFrame, users: User[], areas: Area[], stats: { counts: Map<string, ScanCounts>; timeZone: string }) {
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  return layout(
    frame,
    html`<section class="card">
  <h1>Users</h1>
  <p><a class="button" href="/api/exports/users.csv">Export CSV</a> <a class="button" href="/api/exports/users.xlsx">Export XLSX</a></p>
  <div class="table-wrap"><table class="list">
    <thead><tr><th>User</th><th>Role and area</th><th>Status</th><th>Last login</th><th>Scans today / 7 days</th><th>Password</th></tr></thead>
    <tbody>
    ${users.map(
      (u) => html`<tr id="user-${u.id}">
      <td><a href="/admin/users/${u.id}"><strong>${u.username}</strong></a>${u.email ? html`<br><small>${u.email}</small>` : ''}${u.totpEnabled ? html`<br><small>2FA on</small>` : ''}</td>
      <td><form method="post" action="/admin/users/${u.id}" class="row">${csrf}
        <select name="role" aria-label="Role of ${u.username}">${roleOptions(u.role)}</select>
        <select name="area" aria-label="Area of ${u.username}">${areaOptions(areas, u.areaId)}</select>
        <select name="active" aria-label="Status of ${u.username}">
          <option value="true"${u.active ? html` selected` : ''}>active</option>
          <option value="false"${u.active ? '' : html` selected`}>disabled</option>
        </select>
        <button>Save</button></form></td>
      <td>${u.active ? 'active' : html`<span class="muted">disabled</span>`}</td>
      <td>${formatTime(u.lastLoginAt, stats.timeZone)}</td>
      <td>${stats.counts.get(u.id)?.today ?? 0} / ${stats.counts.get(u.id)?.week ?? 0}</td>
      <td><form method="post" action="/admin/users/${u.id}/password" class="row">${csrf}
        <input name="password" type="password" minlength="10" maxlength="200" required autocomplete="new-password" aria-label="New password for ${u.username}">
        <button>Reset</button></form></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
</section>
<section class="card">
  <h2>New user</h2>
  <form method="post" action="/admin/users" class="stack">${csrf}
    <label>Username <input name="username" required pattern="[A-Za-z0-9_.\\-]{3,32}" maxlength="32" autocapitalize="none"></label>
    <label>Email (optional) <input name="email" type="email" maxlength="254"></label>
    <label>Role <select name="role">${roleOptions('dispatcher')}</select></label>
    <label>Dispatch area (dispatchers) <select name="area">${areaOptions(areas, null)}</select></label>
    <label>Password (10+ characters, not common, not the username) <input name="password" type="password" minlength="10" maxlength="200" required autocomplete="new-password"></label>
    <button class="primary">Create user</button>
  </form>
</section>`,
  );
}
