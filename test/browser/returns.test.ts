/**
 * Returns in a real browser: a biller opens a ticket from /returns, lands on the return station,
 * scans parents at page level (keys + Enter, no field focused): each leaves its bill and joins
 * the ticket; a repeat, an unbilled parent and offline scans (queued on the device, sent once
 * the network is back) behave as at /scan. Then the ticket is committed through its confirmation
 * page. Every claim is checked against the database too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs, scan, see, skipReason, useHarness } from './helpers.js';
import { loginAs as apiLogin } from '../helpers/http.js';
import { billWith } from '../helpers/returns.js';
import { parentWith } from '../helpers/bills.js';

const h = useHarness(async (started) => {
  const biller = await apiLogin(started.app, 'biller');
  await billWith(biller, 'TRUCK-9', 5, [
    ['SB00001', 4],
    ['SB00002', 2],
    ['M444-00001', 3],
    ['SB00003', 1],
  ]);
  await parentWith(biller, 'SB00099', 1, 'UB');
});

async function ticketBags(code: string) {
  const r = await sql<{ code: string; state: string }>`
    select b.code, rb.state from return_ticket_bags rb join bags b on b.id = rb.bag_id join return_tickets t on t.id = rb.ticket_id
    where t.code = ${code} order by rb.id`.execute(h.app.database.db);
  return r.rows.map((x) => `${x.code}:${x.state}`);
}

test('a return scanned at the return station: parents leave their bill, a repeat and an unbilled parent are told apart, offline scans land once', {
  skip: skipReason,
}, async () => {
  const { page, errors, context } = await loginAs(h, 'biller', '/returns');
  await page.selectOption('select[name="area"]', 'jaipur');
  await page.fill('input[name="notes"]', 'Dealer Sharma');
  await Promise.all([
    page.waitForURL((url) => /^\/returns\/RTN-\d{8}-[0-9A-F]{4}\/scan$/.test(url.pathname)),
    page.click('form[method="post"] button.primary'),
  ]);
  await page.waitForSelector('#return-station[data-ready="true"]');
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BODY', 'no field needs focus');

  await scan(page, 'sb00001');
  await see(page, '#rs-title', 'Returned');
  await see(page, '#rs-detail', 'SB00001 · 4 children · off bill TRUCK-9');
  await see(page, '#rs-n', '1');
  await see(page, '#rs-weight', '4');
  await scan(page, 'M444-00001');
  await see(page, '#rs-n', '2');
  await see(page, '#rs-children', '7');

  await scan(page, 'SB00001');
  await see(page, '#rs-title', 'Already on this ticket');
  await scan(page, 'SB00099');
  await see(page, '#rs-title', 'Not on a bill');
  await see(page, '#rs-recent li:first-child .st-row-state', 'Not on a bill');

  await context.setOffline(true);
  await scan(page, 'SB00002');
  await see(page, '#rs-title', 'Saved offline');
  assert.equal(await page.isVisible('#rs-net'), true, 'offline is shown');
  await context.setOffline(false);
  await see(page, '#rs-n', '3', 20_000);
  await see(page, '#rs-recent li:first-child .st-row-state', 'Returned · from TRUCK-9');
  assert.equal(await page.isVisible('#rs-unsent'), false);
  await page.screenshot({ path: 'docs/screenshots/return-station.png', fullPage: true });

  assert.deepEqual(await ticketBags(code), ['SB00001:open', 'M444-00001:open', 'SB00002:open']);
  const bill = await sql<{ parent_count: number; child_count: number; expected_weight_kg: number }>`
    select parent_count, child_count, expected_weight_kg from bills where bill_id = 'TRUCK-9'`.execute(h.app.database.db);
  assert.deepEqual(bill.rows[0], { parent_count: 1, child_count: 1, expected_weight_kg: 30 });

  // The ticket page lists the bags with the bill's before/after; commit asks first.
  await page.click('#rs-ticket');
  await see(page, '#ticket-bags', '3');
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.screenshot({ path: 'docs/screenshots/return-ticket.png', fullPage: true });
  await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/confirm')), page.click('a[href$="confirm?action=commit"]')]);
  await Promise.all([page.waitForURL((url) => url.searchParams.get('done') === 'committed'), page.click('button.primary')]);
  assert.equal(await page.getAttribute('#ticket', 'data-status'), 'committed');
  assert.deepEqual(await ticketBags(code), ['SB00001:committed', 'M444-00001:committed', 'SB00002:committed']);
  assert.deepEqual(errors, []);
});
