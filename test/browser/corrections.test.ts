/**
 * Supervisor corrections on the bag page in a real browser (issue 11 item 9): a biller unlinks a
 * child and moves another, each with a reason the timeline then shows; an admin reopens a parent
 * and deletes an unlinked bag; a dispatcher sees no controls. Checked against the database too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs, see, skipReason, useHarness } from './helpers.js';
import { loginAs as apiLogin } from '../helpers/http.js';
import { fill, scanParent } from '../helpers/scans.js';

const h = useHarness(async (started) => {
  const station = await apiLogin(started.app, 'dispatcher');
  await scanParent(station, 'SB00001');
  await fill(station, 'SB00001', 4, 'CA');
  await scanParent(station, 'SB00002');
  await fill(station, 'SB00002', 1, 'CB');
  await scanParent(station, 'SB00003');
  await fill(station, 'SB00003', 2, 'CC');
  await station.post('/api/bags/SB00003/complete');
});

async function parentOf(code: string): Promise<string | null> {
  const r = await sql<{
    p: string | null;
  }>`select p.code as p from bags c left join bags p on p.id = c.parent_id where c.code = ${code}`.execute(h.app.database.db);
  return r.rows[0]?.p ?? null;
}

test('a biller unlinks and moves children from the bag page, each with a reason the timeline shows', { skip: skipReason }, async () => {
  const { page, errors } = await loginAs(h, 'biller', '/bags/CA0000001');
  await page.setViewportSize({ width: 1100, height: 1300 });
  await page.waitForSelector('.corrections');

  // The reason is required: the browser will not send a blank form.
  await page.click('.correction-unlink button');
  assert.equal(await page.evaluate(() => location.pathname), '/bags/CA0000001');
  assert.equal(await parentOf('CA0000001'), 'SB00001');
  await page.fill('#unlink-reason', 'label torn, bag repacked');
  await Promise.all([page.waitForURL(/done=unlinked/), page.click('.correction-unlink button')]);
  await see(page, '.flash-ok', /Child unlinked/);
  await see(page, 'table.timeline tbody tr:first-child', /Unlink.*SB00001.*Unlinked\s*Reason: label torn, bag repacked/s);
  assert.equal(await parentOf('CA0000001'), null);

  await page.goto('/bags/CA0000002');
  await page.fill('#move-to', 'sb00002');
  await page.fill('#move-reason', 'scanned into the wrong sack');
  await Promise.all([page.waitForURL(/done=moved/), page.click('.correction-move button')]);
  await see(page, '.flash-ok', 'Child moved.');
  await see(
    page,
    'table.timeline tbody tr:first-child',
    /Move child.*SB00002.*Moved from SB00001 to SB00002\s*Reason: scanned into the wrong sack/s,
  );
  await page.screenshot({ path: 'docs/screenshots/bag-corrections.png', fullPage: true });
  assert.equal(await parentOf('CA0000002'), 'SB00002');
  await page.goto('/bags/SB00002');
  await see(
    page,
    'table.timeline tbody tr:first-child',
    /Move child.*CA0000002.*Moved from SB00001 to SB00002\s*Reason: scanned into the wrong sack/s,
  );

  // A refused move is shown on the page with its reason; nothing moves.
  await page.goto('/bags/CA0000003');
  await page.fill('#move-to', 'SB00003');
  await page.fill('#move-reason', 'try a completed parent');
  await page.click('.correction-move button');
  await see(page, '.flash-error', /Parent SB00003 is completed/);
  assert.equal(await parentOf('CA0000003'), 'SB00001');
  await see(page, 'table.timeline tbody tr:first-child', /Move child.*Refused: the parent is completed \(2\/30\)/s);
  assert.equal(await page.locator('.correction-delete').count(), 0, 'billers do not delete');
  assert.deepEqual(errors, []);
});

test('an admin reopens a completed parent and deletes an unlinked bag', { skip: skipReason }, async () => {
  const { page, errors } = await loginAs(h, 'admin', '/bags/SB00003');
  await page.fill('#reopen-reason', 'two more bags found');
  await Promise.all([page.waitForURL(/done=reopened/), page.click('.correction-reopen button')]);
  await see(page, '.facts', /pending · 2\/30/);
  await see(page, 'table.timeline tbody tr:first-child', /Reopen parent.*Reopened\s*Reason: two more bags found/s);

  const station = await apiLogin(h.app, 'biller');
  await station.post('/api/scans/undo', { parentCode: 'SB00001', code: 'CA0000004', reason: 'test' });
  await page.goto('/bags/CA0000004');
  await page.fill('#delete-reason', 'label printed twice');
  await page.check('.correction-delete input[name="confirm"]');
  await Promise.all([page.waitForURL(/\/bags\?done=deleted/), page.click('.correction-delete button')]);
  await see(page, '.flash-ok', /Bag deleted/);
  const left = await sql<{ n: string }>`select count(*) as n from bags where code = 'CA0000004'`.execute(h.app.database.db);
  assert.equal(Number(left.rows[0]!.n), 0);
  assert.deepEqual(errors, []);
});

test('a dispatcher sees no correction controls', { skip: skipReason }, async () => {
  const { page } = await loginAs(h, 'dispatcher', '/bags/CA0000003');
  await page.waitForSelector('table.timeline');
  assert.equal(await page.locator('.corrections, form[action*="/unlink"], form[action*="/move"]').count(), 0);
});
