/**
 * A bill's counters and weights stay equal to a recount through links, removals, child scans,
 * undos and unlinks in its parents; completion (full, or short by an admin with a reason),
 * reopening, and the lock a completed bill puts on its parents and their children.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/setup.js';
import { loginAs } from '../helpers/http.js';
import { billEvents, billState, createBill, linkParent, parentWith, removeParent } from '../helpers/bills.js';
import { fill, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

async function assertExact(billId: string, expected: { parentCount: number; childCount: number; expectedWeightKg: number }) {
  const { stored, recount } = await billState(t.app, billId);
  const want = { ...expected, actualWeightKg: expected.childCount };
  assert.deepEqual({ ...stored, status: undefined }, { ...want, status: undefined }, 'stored counters');
  assert.deepEqual(recount, want, 'recount');
}

test('counters and weights: links, child scans into billed parents, undo, named unlink, removal', async () => {
  const b = await loginAs(t.app, 'biller');
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  await createBill(b, 'W-1', 3);
  await parentWith(b, 'SB00001', 5, 'A');
  await parentWith(b, 'M444-00001', 15, 'B');
  await linkParent(b, 'W-1', 'SB00001');
  await linkParent(b, 'W-1', 'M444-00001');
  await assertExact('W-1', { parentCount: 2, childCount: 20, expectedWeightKg: 45 });

  // A dispatcher keeps filling a parent that is already on the bill: the bill follows.
  await fill(d, 'SB00001', 3, 'D');
  await assertExact('W-1', { parentCount: 2, childCount: 23, expectedWeightKg: 45 });
  const undo = await d.post('/api/scans/undo', { parentCode: 'SB00001' });
  assert.equal(undo.statusCode, 200);
  assert.equal(undo.json().parent.billId, 'W-1');
  await assertExact('W-1', { parentCount: 2, childCount: 22, expectedWeightKg: 45 });
  assert.equal((await b.post('/api/scans/undo', { parentCode: 'SB00001', code: 'A0000001' })).statusCode, 200);
  await assertExact('W-1', { parentCount: 2, childCount: 21, expectedWeightKg: 45 });
  const already = await scanChild(d, 'SB00001', 'A0000002');
  assert.equal(already.json().outcome, 'already_linked');
  await assertExact('W-1', { parentCount: 2, childCount: 21, expectedWeightKg: 45 });
  const rejected = await scanChild(d, 'M444-00001', 'B0000099');
  assert.equal(code(rejected), 'parent_completed', 'a full parent refuses and nothing moves');
  await assertExact('W-1', { parentCount: 2, childCount: 21, expectedWeightKg: 45 });

  // A child scanned into a parent that is NOT on the bill changes nothing on it.
  await parentWith(b, 'SB00002', 2, 'E');
  await assertExact('W-1', { parentCount: 2, childCount: 21, expectedWeightKg: 45 });
  await linkParent(b, 'W-1', 'SB00002');
  await assertExact('W-1', { parentCount: 3, childCount: 23, expectedWeightKg: 75 });
  await removeParent(b, 'W-1', 'M444-00001');
  await assertExact('W-1', { parentCount: 2, childCount: 8, expectedWeightKg: 60 });
  await fill(d, 'M444-00001', 0, 'X');
  assert.equal((await b.post('/api/scans/undo', { parentCode: 'M444-00001' })).statusCode, 200, 'an unbilled parent: bill untouched');
  await assertExact('W-1', { parentCount: 2, childCount: 8, expectedWeightKg: 60 });
  const answer = (await scanChild(d, 'SB00002', 'E0000010')).json();
  assert.equal(answer.parent.billId, 'W-1');
  const bill = (await b.get('/api/bills/W-1')).json().bill;
  assert.deepEqual([bill.childCount, bill.actualWeightKg, bill.expectedWeightKg], [9, 9, 60]);
});

test('complete: needs parents ≥ capacity (bill_incomplete says how many are missing); already completed is a no-op', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'C-1', 3);
  const empty = await b.post('/api/bills/C-1/complete');
  assert.equal(code(empty), 'bill_incomplete');
  for (const p of ['SB00001', 'SB00002']) {
    await scanParent(b, p);
    await linkParent(b, 'C-1', p);
  }
  const short = await b.post('/api/bills/C-1/complete', {});
  assert.equal(short.statusCode, 409);
  assert.equal(code(short), 'bill_incomplete');
  assert.equal(short.json().error.missing, 1);
  await scanParent(b, 'SB00003');
  await linkParent(b, 'C-1', 'SB00003');
  const done = await b.post('/api/bills/C-1/complete');
  assert.equal(done.statusCode, 200);
  assert.equal(done.json().bill.status, 'completed');
  assert.ok(done.json().bill.completedAt);
  const again = await b.post('/api/bills/C-1/complete');
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().bill.completedAt, done.json().bill.completedAt);
  assert.equal(code(await b.post('/api/bills/NOPE/complete')), 'bill_not_found');
  assert.equal((await (await loginAs(t.app, 'dispatcher')).post('/api/bills/C-1/complete')).statusCode, 403);
  assert.equal((await b.post('/api/bills/C-1/complete', { reason: 'x'.repeat(501) })).statusCode, 400);
});

test('short completion: an admin with a reason; an admin without one and any biller are refused', async () => {
  const b = await loginAs(t.app, 'biller');
  const admin = await loginAs(t.app, 'admin');
  await createBill(b, 'S-1', 10);
  await scanParent(b, 'SB00001');
  await linkParent(b, 'S-1', 'SB00001');
  const biller = await b.post('/api/bills/S-1/complete', { reason: 'truck leaves now' });
  assert.equal(biller.statusCode, 403);
  assert.equal(code(biller), 'forbidden');
  const noReason = await admin.post('/api/bills/S-1/complete', { reason: '   ' });
  assert.equal(code(noReason), 'bill_incomplete');
  assert.equal(noReason.json().error.missing, 9);
  const ok = await admin.post('/api/bills/S-1/complete', { reason: 'Truck leaves early: rain' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().bill.status, 'completed');
  const rows = (await billEvents(t.app)).filter((e) => e.action === 'bill.complete');
  assert.deepEqual(
    rows.map((e) => e.outcome),
    ['forbidden', 'bill_incomplete', 'completed'],
  );
  assert.deepEqual(rows[2]!.details, { short: true, reason: 'Truck leaves early: rain', capacity: 10, parentCount: 1, childCount: 0 });
});

test('a completed bill is locked: no link, removal, child scan, undo, unlink or parent reopen until it is reopened', async () => {
  const b = await loginAs(t.app, 'biller');
  const d = await loginAs(t.app, 'dispatcher');
  await createBill(b, 'L-1', 1);
  await parentWith(b, 'SB00001', 2, 'A');
  await parentWith(b, 'SB00002', 0, 'A');
  await linkParent(b, 'L-1', 'SB00001');
  assert.equal((await b.post('/api/bills/L-1/complete')).statusCode, 200);
  const before = await billState(t.app, 'L-1');

  assert.equal(code(await scanChild(d, 'SB00001', 'A0000050')), 'bill_completed');
  assert.equal(code(await d.post('/api/scans/undo', { parentCode: 'SB00001' })), 'bill_completed');
  assert.equal(code(await b.post('/api/scans/undo', { parentCode: 'SB00001', code: 'A0000001' })), 'bill_completed');
  assert.equal(code(await removeParent(b, 'L-1', 'SB00001')), 'bill_completed');
  assert.equal(code(await b.patch('/api/bills/L-1', { capacity: 2 })), 'bill_completed');
  await b.post('/api/bags/SB00001/complete');
  assert.equal(code(await b.post('/api/bags/SB00001/reopen')), 'bill_completed');
  assert.deepEqual(await billState(t.app, 'L-1'), before, 'nothing moved');
  assert.equal((await scanParent(d, 'SB00001')).json().outcome, 'resumed', 'looking at it is fine');

  const reopened = await b.post('/api/bills/L-1/reopen');
  assert.equal(reopened.statusCode, 200);
  assert.deepEqual([reopened.json().bill.status, reopened.json().bill.completedAt], ['processing', null]);
  assert.equal((await b.post('/api/bills/L-1/reopen')).json().bill.status, 'processing', 'reopening an open bill changes nothing');
  assert.equal((await b.post('/api/bags/SB00001/reopen')).statusCode, 200);
  assert.equal((await scanChild(d, 'SB00001', 'A0000050')).json().outcome, 'linked');
  await assertExact('L-1', { parentCount: 1, childCount: 3, expectedWeightKg: 30 });
  assert.equal((await (await loginAs(t.app, 'admin')).post('/api/bills/L-1/reopen')).statusCode, 200);
  assert.equal((await d.post('/api/bills/L-1/reopen')).statusCode, 403);
  assert.equal(code(await b.post('/api/bills/NOPE/reopen')), 'bill_not_found');
});

test('a bag on a bill cannot be deleted (bag_in_use names the bill)', async () => {
  const b = await loginAs(t.app, 'biller');
  const admin = await loginAs(t.app, 'admin');
  await createBill(b, 'D-1', 1);
  await scanParent(b, 'SB00001');
  await linkParent(b, 'D-1', 'SB00001');
  const res = await admin.delete('/api/bags/SB00001');
  assert.equal(code(res), 'bag_in_use');
  assert.equal(res.json().error.billId, 'D-1');
  await removeParent(b, 'D-1', 'SB00001');
  assert.equal((await admin.delete('/api/bags/SB00001')).statusCode, 204);
});
