/**
 * Bill page safety (issue 11 item 10): Complete and Remove ask first (a confirmation page, no
 * script); an unfinished parent joins with a warning in the answer and on the bill page; the
 * timeline reads a refusal as a refusal with its reason; the vehicle number is upper case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { createBill, getBill, linkParent, parentWith } from '../helpers/bills.js';
import { fill } from '../helpers/scans.js';

const t = useTestApp();

async function office(role: 'admin' | 'biller') {
  const c = await loginAs(t.app, role);
  const page = await c.get('/bills/new');
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return c;
}

test('Complete asks first: the first post answers a confirmation page and changes nothing; confirm=yes completes', async () => {
  const a = await office('admin');
  await createBill(a, 'CONF-1', 2);
  await parentWith(a, 'SB00001', 30, 'C');
  await linkParent(a, 'CONF-1', 'SB00001');
  const ask = await a.form('/bills/CONF-1/complete', { reason: 'truck left early' });
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Complete bill CONF-1\?/);
  assert.match(ask.body, /1 parent short — reason: truck left early/);
  assert.match(ask.body, /<input type="hidden" name="confirm" value="yes">/);
  assert.match(ask.body, /<input type="hidden" name="reason" value="truck left early">/);
  assert.match(ask.body, /href="\/bills\/CONF-1" id="confirm-no"/);
  assert.doesNotMatch(ask.body, /<script>/);
  assert.equal((await getBill(a, 'CONF-1')).json().bill.status, 'processing', 'nothing changed yet');
  const done = await a.form('/bills/CONF-1/complete', { reason: 'truck left early', confirm: 'yes' });
  assert.equal(done.statusCode, 303);
  assert.equal((await getBill(a, 'CONF-1')).json().bill.status, 'completed');
  assert.equal((await a.form('/bills/CONF-1/complete', { confirm: 'no' })).statusCode, 400, 'only yes confirms');
});

test('Remove asks first; Keep leaves the parent on the bill; dispatchers cannot reach either step', async () => {
  const b = await office('biller');
  await createBill(b, 'CONF-2', 3);
  await parentWith(b, 'SB00002', 30, 'D');
  await linkParent(b, 'CONF-2', 'SB00002');
  const ask = await b.form('/bills/CONF-2/parents/SB00002/remove', {});
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /Take SB00002 off bill CONF-2\?/);
  assert.match(ask.body, /action="\/bills\/CONF-2\/parents\/SB00002\/remove"/);
  assert.equal((await getBill(b, 'CONF-2')).json().bill.parentCount, 1, 'still on the bill');
  const removed = await b.form('/bills/CONF-2/parents/SB00002/remove', { confirm: 'yes' });
  assert.equal(removed.headers.location, '/bills/CONF-2?done=removed');
  assert.equal((await getBill(b, 'CONF-2')).json().bill.parentCount, 0);
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await d.form('/bills/CONF-2/complete', {})).statusCode, 403);
  assert.equal((await d.form('/bills/CONF-2/parents/SB00002/remove', {})).statusCode, 403);
  assert.equal((await b.form('/bills/NOPE/complete', {})).statusCode, 404);
});

test('an unfinished parent joins with a warning in the answer, the stored scanId answer and on the bill page', async () => {
  const b = await office('biller');
  await createBill(b, 'WARN-1', 3);
  await parentWith(b, 'SB00003', 5, 'E');
  await parentWith(b, 'M444-00001', 15, 'F');
  const scanId = '0b6f3b9e-8f0e-4a39-9d4f-5f8f0c1a2b3c';
  const res = await linkParent(b, 'WARN-1', 'SB00003', { scanId });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().outcome, 'linked');
  assert.deepEqual(res.json().warning, { code: 'parent_unfinished', message: 'SB00003 is not finished (5/30 children)' });
  assert.deepEqual((await linkParent(b, 'WARN-1', 'SB00003', { scanId })).json().warning, res.json().warning, 'replayed answer too');
  const finished = await linkParent(b, 'WARN-1', 'M444-00001');
  assert.equal(finished.json().warning, undefined, 'a completed parent joins without one');
  const page = await b.get('/bills/WARN-1');
  assert.match(page.body, /1 parent is not finished: <a href="\/bags\/SB00003">SB00003<\/a> 5\/30/);
  assert.match(page.body, /Added — the parent was not finished/);
  await fill(b, 'SB00003', 25, 'E', 6);
  assert.doesNotMatch((await b.get('/bills/WARN-1')).body, /not finished:/, 'gone once the parent is finished');
});

test('timeline: a refusal reads as a refusal with its reason, on bill and bag pages', async () => {
  const b = await office('biller');
  await createBill(b, 'FULL-1', 1);
  await parentWith(b, 'SB00004', 30, 'G');
  await parentWith(b, 'SB00005', 30, 'H');
  await linkParent(b, 'FULL-1', 'SB00004');
  assert.equal((await linkParent(b, 'FULL-1', 'SB00005')).json().error.code, 'capacity_reached');
  for (const url of ['/bills/FULL-1', '/bags/SB00005']) {
    const body = (await b.get(url)).body;
    assert.doesNotMatch(
      body,
      /Added to bill<\/td>\s*<td><a href="\/bags\/SB00005">SB00005<\/a><\/td>\s*<td><span[^>]*>capacity_reached/,
      url,
    );
    assert.match(body, /<td>Add to bill<\/td>/, url);
    assert.match(body, /Refused: the bill is full \(1\/1\)/, url);
  }
  const bag = (await b.get('/bags/SB00004')).body;
  assert.match(bag, /<td>Added to bill<\/td>/);
  assert.match((await b.get(`/bags/G0000001`)).body, /Refused: the parent is full|Linked/);
});

test('the vehicle number is kept in upper case, on create and on edit', async () => {
  const b = await office('biller');
  const created = await createBill(b, 'VEH-1', 2, { vehicleNumber: '  rj14  ga 1234 ' });
  assert.equal(created.json().bill.vehicleNumber, 'RJ14 GA 1234');
  const edited = await b.patch('/api/bills/VEH-1', { vehicleNumber: 'up80 ab 9' });
  assert.equal(edited.json().bill.vehicleNumber, 'UP80 AB 9');
  await b.form('/bills/VEH-1/edit', { vehicleNumber: 'mh12 x' });
  assert.equal((await getBill(b, 'VEH-1')).json().bill.vehicleNumber, 'MH12 X');
});
