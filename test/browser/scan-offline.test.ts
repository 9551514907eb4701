/**
 * SPEC §9: the station pages open offline once they have been opened before (service worker,
 * ADR 0014; scope `/` since ADR 0025, so the bill station too), and scans queued offline
 * survive reloads and are sent once, in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs, scan, see, skipReason, until, useHarness } from './helpers.js';
import { childrenOf, openStation, settled, untilCached, workerInControl } from './station.js';
import { loginAs as apiLogin } from '../helpers/http.js';
import { scanParent } from '../helpers/scans.js';

const h = useHarness();

test('item 8: reloading /scan offline shows the station from the service worker; queued scans survive and land once', {
  skip: skipReason,
}, async () => {
  const { page, context, errors } = await openStation(h, 'dispatcher');
  await workerInControl(page);
  await scan(page, 'SB00301');
  await see(page, '#st-parent', 'SB00301');
  await settled(page);

  await context.setOffline(true);
  await scan(page, 'HA0001');
  await see(page, '#st-unsent', '1 not sent');
  const offline = await page.reload();
  assert.ok(offline?.fromServiceWorker(), 'the page came from the service worker');
  await page.waitForSelector('#station[data-ready="true"]');
  await see(page, '#st-parent', 'SB00301');
  await scan(page, 'HA0002');
  await see(page, '#st-unsent', '2 not sent');
  // Closing the tab and opening the station again, still offline: the scans are still there.
  await page.close();
  const again = await context.newPage();
  await again.goto('/scan');
  await again.waitForSelector('#station[data-ready="true"]');
  await see(again, '#st-unsent', '2 not sent');

  await context.setOffline(false);
  await again.evaluate(() => window.dispatchEvent(new Event('online')));
  await see(again, '#st-title', '2 sent', 15000);
  assert.deepEqual(await childrenOf(h, 'SB00301'), ['HA0001', 'HA0002']);
  // The API is never answered from the cache, and only the station shell is kept.
  const cached = await again.evaluate(async () =>
    (await (await caches.open('tt-station-shell-v1')).keys()).map((r) => new URL(r.url).pathname).sort(),
  );
  assert.deepEqual(cached, ['/assets/app.css', '/assets/build/scan.js', '/scan']);
  assert.deepEqual(
    errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')),
    [],
  );
});

test('item 8: the bill station reloads offline from the service worker too, its queued parent still there', {
  skip: skipReason,
}, async () => {
  const station = await apiLogin(h.app, 'dispatcher');
  await scanParent(station, 'SB00311');
  const { page, context, errors } = await loginAs(h, 'biller', '/bills');
  assert.equal(
    (
      await page.request.post('/api/bills', {
        data: { billId: 'OFF-1', capacity: 2 },
        headers: { 'x-csrf-token': (await page.getAttribute('meta[name="csrf-token"]', 'content')) ?? '' },
      })
    ).status(),
    201,
  );
  await page.goto('/bills/OFF-1/scan');
  await page.waitForSelector('#bill-station[data-ready="true"]');
  assert.equal(await workerInControl(page), '/', 'one worker for every page that scans');
  // The first visit came from the network; the page fetched itself (and its shell) once through the worker.
  const shell = ['/bills/OFF-1/scan', '/assets/bills.css', '/assets/build/bills.js'];
  await untilCached(page, shell);

  await context.setOffline(true);
  await scan(page, 'SB00311');
  await see(page, '#bs-unsent', '1 not sent');
  const offline = await page.reload();
  assert.ok(offline?.fromServiceWorker(), 'the bill station came from the service worker');
  await page.waitForSelector('#bill-station[data-ready="true"]');
  await see(page, '#bs-unsent', '1 not sent');
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await see(page, '#bs-n', '1', 15000);
  const r = await sql<{ code: string }>`select p.code from bags p join bills b on b.id = p.bill_id where b.bill_id = 'OFF-1'`.execute(
    h.app.database.db,
  );
  assert.deepEqual(
    r.rows.map((row) => row.code),
    ['SB00311'],
  );
  assert.deepEqual(
    errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED')),
    [],
  );
});

test('logging out forgets the cached station page', { skip: skipReason }, async () => {
  const { page } = await openStation(h, 'dispatcher');
  await workerInControl(page);
  await page.reload();
  // Each predicate runs in the page, whole (it cannot call this file's functions); `caches.has`
  // first, so that a check never creates the cache itself.
  await until(
    page,
    'the /scan page is cached',
    async () =>
      (await caches.has('tt-station-shell-v1')) && (await (await caches.open('tt-station-shell-v1')).match('/scan')) !== undefined,
    undefined,
  );
  await page.goto('/login');
  await until(
    page,
    'the cached /scan page is forgotten',
    async () =>
      !(await caches.has('tt-station-shell-v1')) || (await (await caches.open('tt-station-shell-v1')).match('/scan')) === undefined,
    undefined,
  );
});
