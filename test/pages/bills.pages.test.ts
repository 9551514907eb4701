/**
 * The bill pages: list with search and status filter, the create form (Post/Redirect/Get to the
 * scan page, a refusal shown on the form), the bill page's actions as plain forms per role,
 * the scan page's data, the dispatch sheet, escaping, and dispatchers kept out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { createBill, linkParent, parentWith } from '../helpers/bills.js';

const t = useTestApp();

/** Logs in through the API, then fetches a page so the client holds a page CSRF token too. */
async function office(role: 'admin' | 'biller') {
  const c = await loginAs(t.app, role);
  const page = await c.get('/bills/new');
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return c;
}

test('list: search by id prefix and status filter; every bill links to its page; dispatchers get 403', async () => {
  const b = await office('biller');
  await createBill(b, 'LOT/1', 2);
  await createBill(b, 'LOT/2', 2);
  await createBill(b, 'OTHER', 1);
  await parentWith(b, 'SB00001', 0, 'C');
  await linkParent(b, 'LOT/2', 'SB00001');
  const all = await b.get('/bills');
  assert.equal(all.statusCode, 200);
  for (const id of ['LOT%2F1', 'LOT%2F2', 'OTHER']) assert.match(all.body, new RegExp(`href="/bills/${id}"`));
  assert.match(all.body, /href="\/bills\/new"/);
  const lot = await b.get('/bills?q=lot');
  assert.doesNotMatch(lot.body, /href="\/bills\/OTHER"/);
  const processing = await b.get('/bills?status=processing');
  assert.match(processing.body, /LOT\/2/);
  assert.doesNotMatch(processing.body, /href="\/bills\/LOT%2F1"/);
  assert.match(all.body, /<a href="\/bills">Bills<\/a>|href="\/bills" aria-current="page">Bills/);
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await d.get('/bills')).statusCode, 403);
  assert.doesNotMatch((await d.get('/')).body, /href="\/bills"/, 'no Bills entry in a dispatcher’s navigation');
  assert.equal((await new Client(t.app).get('/bills')).statusCode, 303);
});

test('create form: success redirects to the scan page; a duplicate is shown on the form with 409, input kept and escaped', async () => {
  const b = await office('biller');
  const page = await b.get('/bills/new');
  assert.match(page.body, /name="billId"[^>]*autofocus/);
  assert.match(page.body, /data-enter-next/);
  assert.match(page.body, /<script src="\/assets\/build\/bills.js" defer><\/script>/);
  const ok = await b.form('/bills', { billId: 'truck 9', capacity: '4', destination: 'Kota', vehicleNumber: '', description: '' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/bills/TRUCK%209/scan');
  const dup = await b.form('/bills', { billId: 'Truck 9', capacity: '4', description: '<script>alert(1)</script>' });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /Bill TRUCK 9 already exists/);
  assert.match(dup.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(dup.body, /<script>alert/);
  const bad = await b.form('/bills', { billId: 'OK-1', capacity: 'lots' });
  assert.equal(bad.statusCode, 400);
  assert.equal((await b.form('/bills', { billId: 'OK-1', capacity: '4' }, false)).statusCode, 403, 'no CSRF token, no bill');
});

test('bill page: figures, parents, history, and actions by role; forms redirect with a flash', async () => {
  const b = await office('biller');
  const admin = await office('admin');
  await createBill(b, 'PAGE/1', 3, { description: '<b>fragile</b>' });
  await parentWith(b, 'SB00001', 4, 'C');
  await parentWith(b, 'M444-00001', 2, 'D');
  await linkParent(b, 'PAGE/1', 'SB00001');
  await linkParent(b, 'PAGE/1', 'M444-00001');
  const page = await b.get('/bills/PAGE%2F1');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<dd class="bill-actual">6 kg<\/dd>/);
  assert.match(page.body, /<dd class="bill-expected">45 kg<\/dd>/);
  assert.match(page.body, /bill-diff diff-under">−39 kg/);
  assert.match(page.body, /<progress value="2" max="3"/);
  assert.match(page.body, /&lt;b&gt;fragile&lt;\/b&gt;/);
  assert.match(page.body, /href="\/bags\/SB00001"/);
  assert.match(page.body, /action="\/bills\/PAGE%2F1\/parents\/SB00001\/remove"/);
  assert.match(page.body, /1 more parent to complete/, 'a biller cannot complete short');
  assert.doesNotMatch(page.body, /Delete bill/, 'billers do not delete');
  assert.match(page.body, /Added to bill/);
  assert.doesNotMatch(page.body, /\sstyle="/);

  const adminPage = await admin.get('/bills/PAGE%2F1');
  assert.match(adminPage.body, /Complete short/);
  assert.match(adminPage.body, /Delete bill/);
  const refused = await b.form('/bills/PAGE%2F1/complete', { confirm: 'yes' });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /1 parent short/);
  const removed = await b.form('/bills/PAGE%2F1/parents/M444-00001/remove', { confirm: 'yes' });
  assert.equal(removed.statusCode, 303);
  assert.equal(removed.headers.location, '/bills/PAGE%2F1?done=removed');
  assert.match((await b.get('/bills/PAGE%2F1?done=removed')).body, /Parent removed from the bill/);
  const saved = await b.form('/bills/PAGE%2F1/edit', { capacity: '1', destination: 'Agra', vehicleNumber: 'UP80', description: '' });
  assert.equal(saved.statusCode, 303);
  const done = await b.form('/bills/PAGE%2F1/complete', { confirm: 'yes' });
  assert.equal(done.statusCode, 303);
  const locked = await b.get('/bills/PAGE%2F1');
  assert.match(locked.body, /bill-status-completed/);
  assert.doesNotMatch(locked.body, /\/remove"/, 'no remove buttons on a completed bill');
  assert.match(locked.body, /Reopen/);
  assert.equal((await b.form('/bills/PAGE%2F1/reopen', {})).statusCode, 303);
  assert.equal((await b.form('/bills/PAGE%2F1/delete', { confirm: 'yes' })).statusCode, 403);
  const deleted = await admin.form('/bills/PAGE%2F1/delete', { confirm: 'yes' });
  assert.equal(deleted.headers.location, '/bills?done=deleted');
  assert.equal((await b.get('/bills/PAGE%2F1')).statusCode, 404);
});

test('scan page and dispatch sheet: the bill as data for the station, every parent on the sheet', async () => {
  const b = await office('biller');
  await createBill(b, 'SHEET-1', 2, { destination: 'Jodhpur', vehicleNumber: 'RJ19 7' });
  await parentWith(b, 'SB00001', 3, 'C');
  await linkParent(b, 'SHEET-1', 'SB00001');
  const scan = await b.get('/bills/SHEET-1/scan');
  assert.equal(scan.statusCode, 200);
  assert.match(scan.body, /id="bill-station"/);
  assert.match(scan.body, /data-bill="\{&quot;billId&quot;:&quot;SHEET-1&quot;/);
  assert.match(scan.body, /&quot;parents&quot;:\[\{&quot;code&quot;:&quot;SB00001&quot;,&quot;childCount&quot;:3/);
  const sheet = await b.get('/bills/SHEET-1/print');
  assert.match(sheet.body, /<link rel="stylesheet" href="\/assets\/bills.css">/);
  assert.match(sheet.body, /Dispatch sheet/);
  assert.match(sheet.body, /<td class="code">SB00001<\/td>/);
  assert.match(sheet.body, /RJ19 7/);
  assert.match(sheet.body, /data-print/);
  assert.equal((await (await loginAs(t.app, 'dispatcher')).get('/bills/SHEET-1/print')).statusCode, 403);
  assert.equal((await b.get('/bills/NOPE/scan')).statusCode, 404);
  const css = await b.get('/assets/bills.css');
  assert.match(css.body, /@media print/);
});
