/**
 * The live dashboard in a real browser: one tab shows the dashboard, another tab (another user,
 * at the scan station) scans; the figures and the recent list change without a reload, and the
 * page never reloads (a marker set on the window survives).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { loginAs, scan, skipReason, useHarness } from './helpers.js';

const h = useHarness();

const text = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .textContent()
    .then((t) => (t ?? '').trim());

async function waitText(page: Page, selector: string, expected: string, timeout = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      ({ selector, expected }) => (document.querySelector(selector)?.textContent ?? '').trim() === expected,
      { selector, expected },
      { timeout },
    );
  } catch {
    assert.fail(`${selector}: expected "${expected}", saw "${await text(page, selector)}"`);
  }
}

test('the dashboard counters and recent scans change without a reload after a scan in another tab', { skip: skipReason }, async () => {
  const board = await loginAs(h, 'admin', '/');
  const station = await loginAs(h, 'dispatcher', '/scan', { areaId: 'indore' });
  const page = board.page;
  await page.waitForSelector('#dashboard[data-live="live"]');
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  assert.equal(await text(page, '.stats [data-stat="parentBags"]'), '0');
  assert.equal(await text(page, '.stats [data-stat="scansToday"]'), '0');

  await station.page.waitForSelector('#station[data-ready="true"]');
  await scan(station.page, 'SB04711');
  await waitText(page, '.stats [data-stat="parentBags"]', '1');
  await waitText(page, '.stats [data-stat="scansToday"]', '1');
  await waitText(page, 'tr[data-area="indore"] [data-stat="parentBags"]', '1');
  await waitText(page, '#recent li:first-child a', 'SB04711');

  await scan(station.page, 'C0047110');
  await waitText(page, '.stats [data-stat="childBags"]', '1');
  await waitText(page, '.stats [data-stat="scansToday"]', '2');
  await waitText(page, '#recent li:first-child a', 'C0047110');
  assert.match(await text(page, '#recent li:first-child time'), /^\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
  // The hourly chart follows the live events too: its bars now hold the two accepted scans.
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll<SVGRectElement>('#hourly-chart rect.bar')).reduce((n, b) => n + Number(b.dataset.value), 0) ===
      2,
    null,
    { timeout: 10_000 },
  );
  assert.ok(
    Number(await page.locator('#hourly-chart rect.bar[data-value="2"]').getAttribute('height')) > 100,
    'the tallest bar is drawn tall',
  );
  assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload');
  assert.deepEqual(board.errors, [], 'no page or CSP errors');
  assert.deepEqual(station.errors, []);
});

test('a dispatcher’s dashboard shows only their area’s scans live', { skip: skipReason }, async () => {
  const mine = await loginAs(h, 'dispatcher', '/', { areaId: 'jaipur' });
  const other = await loginAs(h, 'dispatcher', '/scan', { areaId: 'hisar' });
  const same = await loginAs(h, 'dispatcher', '/scan', { areaId: 'jaipur' });
  await mine.page.waitForSelector('#dashboard[data-live="live"]');
  await other.page.waitForSelector('#station[data-ready="true"]');
  await same.page.waitForSelector('#station[data-ready="true"]');
  await scan(other.page, 'SB05001');
  await scan(same.page, 'SB05002');
  await waitText(mine.page, '#recent li:first-child a', 'SB05002');
  await waitText(mine.page, '.stats [data-stat="parentBags"]', '1');
  assert.doesNotMatch(await text(mine.page, '#recent'), /SB05001/);
});
