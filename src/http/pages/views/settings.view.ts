/** Admin settings: security switches (and, once bag kinds are editable, the kinds). */
import { html, type Html } from '../../../lib/html.js';
import type { Settings } from '../../../domain/settings/settings.service.js';
import { layout, type PageFrame } from './layout.view.js';

export function settingsView(frame: PageFrame, settings: Settings, extra: Html | string = '') {
  const csrf = html`<input type="hidden" name="_csrf" value="${frame.csrfToken}">`;
  return layout(
    frame,
    html`<section class="card">
  <h1>Settings</h1>
  <form method="post" action="/admin/settings" class="stack">${csrf}
    <label class="check"><input type="hidden" name="requireAdminTotp" value="false"><input type="checkbox" name="requireAdminTotp" value="true"${settings.requireAdminTotp ? html` checked` : ''}>
      Require two-factor login for all admins (admins without it must set it up before anything else)</label>
    <button class="primary">Save settings</button>
  </form>
</section>
${extra}`,
  );
}
