/**
 * The scan station skeleton: full screen, huge text, no text field to focus (the keyboard wedge
 * listens at document level, src/client/wedge.ts). public/build/scan.js fills it in; the user,
 * role, area and parent kinds (patterns, capacities) travel as data-* attributes. Billers and admins choose the area new parents get.
 */
import { html } from '../../../lib/html.js';
import type { Area } from '../../../domain/areas/area.js';
import type { BagKind } from '../../../domain/codes.js';
import type { User } from '../../../domain/users/user.js';
import { layout, type PageFrame } from './layout.view.js';

export function scanView(frame: PageFrame, user: User, areas: Area[], parentKinds: BagKind[]) {
  const picksArea = user.role !== 'dispatcher' && areas.length > 0;
  return layout(
    frame,
    html`<section class="station" id="station" data-mode="parent" data-tone="idle" data-user-id="${user.id}" data-role="${user.role}" data-area="${user.areaId ?? ''}" data-kinds="${JSON.stringify(parentKinds)}">
  <div class="st-bar">
    <span class="st-mode" id="st-mode">Scan a parent bag</span>
    <span class="st-net" id="st-net" hidden>Offline</span>
    <span class="st-unsent" id="st-unsent" role="status" hidden>0 not sent</span>
  </div>
  ${
    picksArea
      ? html`<label class="st-area">Area for new parents
    <select id="st-area">${areas.map((a) => html`<option value="${a.id}">${a.name}</option>`)}</select></label>`
      : html`<p class="st-area">Area: <strong>${user.areaId ?? '—'}</strong></p>`
  }
  <div class="st-parent" id="st-parent"></div>
  <div class="st-count" aria-live="polite"><span id="st-n">0</span><span class="st-of"> / </span><span id="st-cap">?</span></div>
  <div class="st-progress" id="st-progress" role="progressbar" aria-label="Children in this parent" aria-valuemin="0" aria-valuenow="0" aria-valuemax="0"><div class="st-progress-bar" id="st-bar"></div></div>
  <div class="st-flash" role="status" aria-live="assertive">
    <div class="st-title" id="st-title">Scan a parent bag</div>
    <div class="st-detail" id="st-detail">The scanner works anywhere on this page: no need to tap a field.</div>
  </div>
  <div class="st-typed" id="st-typed" aria-hidden="true"></div>
  <p class="st-blocked" id="st-blocked" role="alert" hidden><span id="st-blocked-text"></span> Unsent scans stay on this device. <a href="/login?next=/scan">Log in</a></p>
  <div class="st-actions">
    <button type="button" id="st-undo" class="big" disabled>Undo last</button>
    <button type="button" id="st-finish" class="big primary" hidden>Finish parent</button>
  </div>
  <ol class="st-recent" id="st-recent" aria-label="Last scans, newest first"></ol>
  <div class="st-more">
    <button type="button" id="st-change" class="link" hidden>Put this parent aside</button>
    <button type="button" id="st-type" class="link">Type a code</button>
    <a href="/scan/commands" class="st-commands">Command barcodes</a>
  </div>
  <noscript><p class="flash flash-error">The scan station needs JavaScript.</p></noscript>
  <dialog id="st-confirm" class="st-dialog"><form method="dialog">
    <p id="st-confirm-text"></p>
    <div class="st-actions"><button value="cancel" class="big">Keep scanning</button><button value="ok" id="st-confirm-ok" class="big primary">Finish</button></div>
  </form></dialog>
  <dialog id="st-manual" class="st-dialog" data-takes-code><form method="dialog">
    <label>Code <input id="st-manual-code" data-code autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="255"></label>
    <div class="st-actions st-actions-rev"><button value="ok" class="big primary">Scan</button><button value="cancel" class="big">Cancel</button></div>
  </form></dialog>
</section>`,
  );
}
