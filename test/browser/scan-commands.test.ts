/**
 * Command barcodes (SPEC §9): FINISH, UNDO, PUT ASIDE, CONFIRM, CANCEL each do what the button
 * does, so nobody touches the screen; the printable sheet shows all five. Also keeps the
 * screenshots of docs/screenshots/ (station desktop and 412×915, the sheet).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs, scan, see, skipReason, useHarness, wedgeScan } from './helpers.js';
import { settled } from './station.js';

const h = useHarness();

async function parentRow(code: string) {
  const r = await sql<{ status: string; child_count: number }>`select status, child_count from bags where code = ${code}`.execute(
    h.app.database.db,
  );
  return r.rows[0];
}

test('command barcodes do what the buttons do; CONFIRM / CANCEL answer the dialog', { skip: skipReason }, async () => {
  const { page, errors } = await loginAs(h, 'dispatcher', '/scan');
  await page.waitForSelector('#station[data-ready="true"]');
  await scan(page, 'SB00401');
  await see(page, '#st-parent', 'SB00401');
  for (const c of ['JA0001', 'JA0002', 'JA0003']) await scan(page, c);
  await see(page, '#st-n', '3');
  await settled(page);
  await scan(page, 'UNDO');
  await see(page, '#st-title', 'Removed');
  await see(page, '#st-n', '2');
  assert.equal((await parentRow('SB00401'))?.child_count, 2);
  await scan(page, 'FINISH');
  await page.waitForSelector('#st-confirm[open]');
  await scan(page, 'CANCEL');
  await page.waitForSelector('#st-confirm:not([open])', { state: 'attached' });
  assert.equal((await parentRow('SB00401'))?.status, 'pending');
  await scan(page, 'FINISH');
  await page.waitForSelector('#st-confirm[open]');
  await scan(page, 'CONFIRM');
  await see(page, '#st-title', 'Parent complete');
  assert.deepEqual(await parentRow('SB00401'), { status: 'completed', child_count: 2 });
  await scan(page, 'SB00402');
  await see(page, '#st-parent', 'SB00402');
  await scan(page, 'put aside');
  await see(page, '#st-parent', 'Last: SB00402');
  await page.setViewportSize({ width: 412, height: 915 });
  await scan(page, 'SB00402');
  await scan(page, 'JA0011');
  await see(page, '#st-n', '1');
  await settled(page);
  await page.screenshot({ path: 'docs/screenshots/station-412x915.png' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: 'docs/screenshots/station-desktop.png' });
  assert.deepEqual(errors, []);
});

test('PUT ASIDE does what the "Put this parent aside" button does, on the page, in the Type-a-code dialog and behind the Finish dialog', {
  skip: skipReason,
}, async () => {
  const { page, errors } = await loginAs(h, 'dispatcher', '/scan');
  await page.waitForSelector('#station[data-ready="true"]');
  const screen = async () => ({
    parent: (await page.textContent('#st-parent'))?.trim(),
    title: (await page.textContent('#st-title'))?.trim(),
    detail: (await page.textContent('#st-detail'))?.trim(),
    button: await page.locator('#st-change').isVisible(),
  });
  const resume = async () => {
    await scan(page, 'SB00403');
    await see(page, '#st-parent', 'SB00403');
    await settled(page);
  };
  await resume();
  await scan(page, 'JA0021');
  await see(page, '#st-n', '1');
  // Put aside at once: the child's answer, before or after, leaves the put-aside screen as it is.
  await page.click('#st-change');
  await see(page, '#st-parent', 'Last: SB00403');
  const byButton = await screen();
  assert.deepEqual(byButton, { parent: 'Last: SB00403', title: 'Scan a parent bag', detail: 'SB00403 left at 1/30', button: false });

  await resume();
  await scan(page, 'PUT ASIDE');
  await see(page, '#st-parent', 'Last: SB00403');
  assert.deepEqual(await screen(), byButton, 'scanned on the page');

  await resume();
  await page.click('#st-type');
  await page.waitForSelector('#st-manual[open]');
  await wedgeScan(page, 'PUT ASIDE');
  await see(page, '#st-parent', 'Last: SB00403');
  assert.deepEqual(await screen(), byButton, 'scanned into the Type-a-code dialog');

  await resume();
  await page.click('#st-finish');
  await page.waitForSelector('#st-confirm[open]');
  await scan(page, 'PUT ASIDE');
  assert.equal(await page.locator('#st-confirm[open]').count(), 1, 'held while the dialog is open');
  await see(page, '#st-parent', 'SB00403');
  await scan(page, 'CANCEL');
  await see(page, '#st-parent', 'Last: SB00403');
  assert.deepEqual(await screen(), byButton, 'held behind the Finish dialog, then applied');
  assert.deepEqual(await parentRow('SB00403'), { status: 'pending', child_count: 1 });

  // No parent in hand: the button is not there, and the barcode says why nothing happened.
  await scan(page, 'PUT ASIDE');
  await see(page, '#st-title', 'PUT ASIDE');
  await see(page, '#st-detail', 'Scan a parent bag first');
  assert.equal(await page.locator('#st-parent').textContent(), 'Last: SB00403');
  assert.deepEqual(errors, []);
});

test('the command sheet shows the five barcodes and is linked from the station', { skip: skipReason }, async () => {
  const { page, errors } = await loginAs(h, 'dispatcher', '/scan');
  await page.waitForSelector('#station[data-ready="true"]');
  await page.setViewportSize({ width: 1000, height: 1300 });
  await Promise.all([page.waitForURL('**/scan/commands'), page.click('a.st-commands')]);
  assert.deepEqual(await page.locator('.command-card .code').allTextContents(), ['FINISH', 'UNDO', 'PUT ASIDE', 'CONFIRM', 'CANCEL']);
  const sizes = await page.locator('.command-card img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
  assert.ok(
    sizes.every((w) => w >= 200),
    `decoded images ${JSON.stringify(sizes)}`,
  );
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: 'docs/screenshots/command-sheet.png', fullPage: true });
  assert.deepEqual(errors, []);
});
