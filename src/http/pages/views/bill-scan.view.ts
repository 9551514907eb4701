/**
 * The bill scan page: the scan station's look (the .station classes of app.css: huge count,
 * coloured flash per outcome, recent rows) for one bill. No text field to focus: the keyboard
 * wedge listens at page level. public/build/bills.js runs it; the bill, its figures and its
 * parents (all of them: a bill holds at most 500) travel as data-* attributes.
 */
import { html, type Html } from '../../../lib/html.js';
import type { Bag } from '../../../domain/bags/bag.js';
import type { BillRecord } from '../../../domain/bills/bill.js';
import type { User } from '../../../domain/users/user.js';
import { layout, type PageFrame } from './layout.view.js';
import { billHref } from './bill-list.view.js';

export function billScanView(frame: PageFrame, user: User, b: BillRecord, parents: Bag[]): Html {
  const data = JSON.stringify({
    billId: b.billId,
    status: b.status,
    capacity: b.capacity,
    parentCount: b.parentCount,
    childCount: b.childCount,
    actualWeightKg: b.actualWeightKg,
    expectedWeightKg: b.expectedWeightKg,
    parents: parents.map((p) => ({ code: p.code, childCount: p.childCount, capacity: p.capacity })),
  });
  return layout(
    frame,
    html`<section class="station bill-station" id="bill-station" data-mode="child" data-tone="idle" data-user-id="${user.id}" data-bill="${data}">
  <div class="st-bar">
    <span class="st-mode">Scan parents onto bill</span>
    <span class="st-net" id="bs-net" hidden>Offline</span>
    <span class="st-unsent" id="bs-unsent" role="status" hidden>0 not sent</span>
  </div>
  <div class="st-parent"><a href="${billHref(b.billId)}" id="bs-bill">${b.billId}</a> <span class="bill-status" id="bs-status">${b.status}</span></div>
  <div class="st-count" aria-live="polite"><span id="bs-n">${b.parentCount}</span><span class="st-of"> / </span><span id="bs-cap">${b.capacity}</span></div>
  <progress class="bill-progress" id="bs-progress" value="${b.parentCount}" max="${b.capacity}" aria-label="Parents on this bill"></progress>
  <p class="bs-weights"><span>Actual <strong id="bs-actual">${b.actualWeightKg}</strong> kg</span> · <span>Expected <strong id="bs-expected">${b.expectedWeightKg}</strong> kg</span> · <span>Difference <strong id="bs-diff">0</strong> kg</span></p>
  <div class="st-flash" role="status" aria-live="assertive">
    <div class="st-title" id="bs-title">Scan a parent bag</div>
    <div class="st-detail" id="bs-detail">The scanner works anywhere on this page: no need to tap a field.</div>
  </div>
  <div class="st-typed" id="bs-typed" aria-hidden="true"></div>
  <p class="st-blocked" id="bs-blocked" role="alert" hidden><span id="bs-blocked-text"></span> Unsent scans stay on this device. <a href="/login?next=${billHref(b.billId, '/scan')}">Log in</a></p>
  <ol class="st-recent" id="bs-recent" aria-label="Last scans, newest first"></ol>
  <div class="st-actions">
    <button type="button" id="bs-complete" class="big primary">Complete bill</button>
    <button type="button" id="bs-type" class="big">Type a code</button>
  </div>
  <h2 class="bs-parents-title">Parents on this bill</h2>
  <ul class="bs-parents" id="bs-parents" aria-label="Parents on this bill, newest first"></ul>
  <noscript><p class="flash flash-error">The bill scan page needs JavaScript.</p></noscript>
  <dialog id="bs-confirm" class="st-dialog"><form method="dialog">
    <p id="bs-confirm-text"></p>
    <div class="st-actions"><button value="cancel" class="big">Keep</button><button value="ok" id="bs-confirm-ok" class="big primary">Remove</button></div>
  </form></dialog>
  <dialog id="bs-manual" class="st-dialog" data-takes-code><form method="dialog">
    <label>Parent code <input id="bs-manual-code" data-code autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="255"></label>
    <div class="st-actions st-actions-rev"><button value="ok" class="big primary">Scan</button><button value="cancel" class="big">Cancel</button></div>
  </form></dialog>
</section>`,
  );
}
