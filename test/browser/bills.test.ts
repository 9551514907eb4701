/**
 * Bills in a real browser: a biller creates a bill with a scanner (Enter moves through the
 * form), scans parents onto it at page level (keys + Enter, no field focused), sees progress
 * and weights, removes and re-adds a parent, completes the bill, and the completed bill refuses
 * a further scan. Every claim is checked against the database too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs, scan, see, skipReason, useHarness } from './helpers.js';
import { loginAs as apiLogin } from '../helpers/http.js';
import { fill, scanParent } from '../helpers/scans.js';
import { waitFor } from '../helpers/wait.js';

const h = useHarness(async (started) => {
  // Parents filled at the station beforehand (through the API): 5 + 3 + 2 children.
  const station = await apiLogin(started.app, 'dispatcher');
  for (const [code, n, prefix] of [
    ['SB00001', 5, 'CA'],
    ['SB00002', 3, 'CB'],
    ['M444-00001', 2, 'CC'],
    ['SB00009', 1, 'CD'],
  ] as const) {
    await scanParent(station, code);
    await fill(station, code, n, prefix);
  }
});

async function billRow(billId: string) {
  const r = await sql<{ status: string; parent_count: number; child_count: number; actual_weight_kg: number; expected_weight_kg: number }>`
    select status, parent_count, child_count, actual_weight_kg, expected_weight_kg from bills where bill_id = ${billId}`.execute(
    h.app.database.db,
  );
  return r.rows[0];
}

async function parentsOn(billId: string): Promise<string[]> {
  const r = await sql<{
    code: string;
  }>`select p.code from bags p join bills b on b.id = p.bill_id where b.bill_id = ${billId} order by p.code`.execute(h.app.database.db);
  return r.rows.map((row) => row.code);
}

test('a biller creates a bill, scans its parents, sees progress and weights, completes it; then a scan is refused', {
  skip: skipReason,
}, async () => {
  const s = await loginAs(h, 'biller', '/bills/new');
  const { page, errors } = s;

  // The id field has focus; a scanner's Enter moves on instead of submitting half a form.
  await page.keyboard.type('truck-7/a');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'capacity');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Delhi');
  await page.keyboard.press('Enter');
  await page.keyboard.type('RJ14 GA 1234');
  await page.keyboard.press('Enter');
  await Promise.all([page.waitForURL((url) => url.pathname === '/bills/TRUCK-7%2FA/scan'), page.keyboard.press('Enter')]);
  await page.waitForSelector('#bill-station[data-ready="true"]');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BODY', 'no field needs focus');
  await see(page, '#bs-n', '0');
  await see(page, '#bs-cap', '3');

  await scan(page, 'sb00001');
  // SB00001 is pending (5/30): it joins, with a warning (SPEC §4).
  await see(page, '#bs-title', 'On the bill — parent not finished');
  await see(page, '#bs-detail', 'SB00001 is not finished (5/30 children) · 1/3');
  await page.waitForSelector('#bill-station[data-tone="warn"]');
  await see(page, '#bs-n', '1');
  await see(page, '#bs-actual', '5');
  await see(page, '#bs-expected', '30');
  await see(page, '#bs-parents li:first-child .bs-count', '5/30 children');
  await scan(page, 'SB00002');
  await see(page, '#bs-n', '2');
  await scan(page, 'SB00001');
  await see(page, '#bs-title', 'Already on this bill');
  // The repeat reached the server's history too (SPEC §9), not only the screen.
  await waitFor(
    async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from events where subject = 'SB00001' and outcome = 'already_on_bill'`.execute(
          h.app.database.db,
        )
      ).rows[0]?.n === 1,
    'the repeat on the history',
  );
  await scan(page, 'SB77777');
  await see(page, '#bs-title', 'Unknown bag');
  await scan(page, 'CA0000001'); // a child bag
  await see(page, '#bs-title', 'Wrong bag type');
  await scan(page, 'M444-00001');
  await see(page, '#bs-title', 'Bill is full');
  await see(page, '#bs-n', '3');
  await see(page, '#bs-actual', '10');
  await see(page, '#bs-expected', '75');
  await see(page, '#bs-diff', '−65');
  assert.deepEqual(await parentsOn('TRUCK-7/A'), ['M444-00001', 'SB00001', 'SB00002']);

  // Remove a parent (asks first), then scan it back.
  await page.click('#bs-parents li[data-code="M444-00001"] button');
  await see(page, '#bs-confirm-text', 'Take M444-00001 off bill TRUCK-7/A?');
  await page.click('#bs-confirm-ok');
  await see(page, '#bs-title', 'Removed from the bill');
  await see(page, '#bs-n', '2');
  assert.deepEqual(await parentsOn('TRUCK-7/A'), ['SB00001', 'SB00002']);
  await scan(page, 'M444-00001');
  await see(page, '#bs-n', '3');

  // Complete asks first; Keep changes nothing, Complete completes.
  await page.click('#bs-complete');
  await see(page, '#bs-confirm-text', /^Complete bill TRUCK-7\/A\? 3\/3 parents · 10 kg/);
  await see(page, '#bs-confirm-ok', 'Complete');
  await page.click('#bs-confirm button[value="cancel"]');
  assert.equal((await billRow('TRUCK-7/A'))?.status, 'processing', 'Keep changes nothing');
  await page.click('#bs-complete');
  await page.click('#bs-confirm-ok');
  await see(page, '#bs-title', 'Bill completed');
  await see(page, '#bs-status', 'completed');
  assert.deepEqual(await billRow('TRUCK-7/A'), {
    status: 'completed',
    parent_count: 3,
    child_count: 10,
    actual_weight_kg: 10,
    expected_weight_kg: 75,
  });

  await scan(page, 'SB00009');
  await see(page, '#bs-title', 'Bill is completed');
  await page.waitForSelector('#bill-station[data-tone="area"]');
  assert.deepEqual(await parentsOn('TRUCK-7/A'), ['M444-00001', 'SB00001', 'SB00002']);
  assert.equal(await page.locator('#bs-parents button').count(), 0, 'no remove buttons on a completed bill');

  // The bill page and the dispatch sheet show the same figures.
  await page.goto('/bills/TRUCK-7%2FA');
  await see(page, '.bill-actual', '10 kg');
  await see(page, '.bill-expected', '75 kg');
  await see(page, '.bill-diff', '−65 kg');
  assert.equal(await page.locator('table.bill-parents tbody tr').count(), 3);
  await page.goto('/bills/TRUCK-7%2FA/print');
  await see(page, '.sheet-parents tfoot', /3 parents\s*10 children\s*10 \/ 75 kg/);
  assert.deepEqual(errors, []);
});

test('offline: bill scans wait on the device with their scanIds and are linked once the network is back', {
  skip: skipReason,
}, async () => {
  const biller = await apiLogin(h.app, 'biller');
  await biller.post('/api/bills', { billId: 'OFF-1', capacity: 5 });
  for (const code of ['SB00011', 'SB00012']) await scanParent(biller, code);
  const s = await loginAs(h, 'biller', '/bills/OFF-1/scan');
  const { page, context, errors } = s;
  await page.waitForSelector('#bill-station[data-ready="true"]');
  await context.setOffline(true);
  await scan(page, 'SB00011');
  await see(page, '#bs-title', 'Saved offline');
  await scan(page, 'SB00012');
  await see(page, '#bs-unsent', '2 not sent');
  const stored = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open('tracetrack-bill-scans');
        req.onsuccess = () => {
          const all = req.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => resolve((all.result as Array<{ scanId?: string }>).filter((i) => typeof i.scanId === 'string').length);
        };
      }),
  );
  assert.equal(stored, 2, 'both scans are in IndexedDB with their scanIds');
  assert.deepEqual(await parentsOn('OFF-1'), []);
  await context.setOffline(false);
  await see(page, '#bs-n', '2', 20_000);
  assert.deepEqual(await parentsOn('OFF-1'), ['SB00011', 'SB00012']);
  await page.waitForSelector('#bs-unsent', { state: 'hidden' });
  assert.deepEqual(errors, []);
});

test('dispatchers cannot open the bill pages', { skip: skipReason }, async () => {
  const s = await loginAs(h, 'dispatcher', '/');
  const res = await s.page.goto('/bills');
  assert.equal(res?.status(), 403);
  assert.equal(await s.page.locator('nav.main a[href="/bills"]').count(), 0);
});
