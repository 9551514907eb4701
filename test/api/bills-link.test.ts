/**
 * Linking parents to bills and removing them (SPEC §4): every outcome and error code in the
 * SPEC's order, exactly one history row per attempt (subject = parent, related = bill), scanId
 * replays, and who may link or remove.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { billEvents, billState, createBill, getBill, linkParent, parentWith, removeParent } from '../helpers/bills.js';
import { countRows, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

test('linked: the answer carries the outcome, the bill with its counters and the parent now on it', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'B-1', 2);
  await parentWith(b, 'sb00001', 3, 'C');
  const res = await linkParent(b, 'b-1', ' sb00001\r\n');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.outcome, 'linked');
  assert.deepEqual(
    [body.bill.status, body.bill.parentCount, body.bill.childCount, body.bill.actualWeightKg, body.bill.expectedWeightKg],
    ['processing', 1, 3, 3, 30],
  );
  assert.deepEqual([body.bag.code, body.bag.billId, body.bag.childCount], ['SB00001', 'B-1', 3]);
  const again = await scanParent(b, 'SB00001');
  assert.equal(again.json().bag.billId, 'B-1', 'the bag itself says which bill it is on');
  assert.equal((await linkParent(await loginAs(t.app, 'admin'), 'B-1', 'M444-00001')).statusCode, 404);
});

test('each refusal in SPEC order, with its status; nothing changes and bill scanning never creates a bag', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'B-1', 2);
  await createBill(b, 'B-2', 5);
  await parentWith(b, 'SB00001', 1, 'C');
  await parentWith(b, 'SB00002', 0, 'C');
  await parentWith(b, 'SB00003', 0, 'C');
  await parentWith(b, 'SB00009', 0, 'C');
  const bagsBefore = await countRows(t.app, 'bags');

  const cases: Array<[string, string, number, string]> = [
    ['NO-BILL', 'SB00001', 404, 'bill_not_found'],
    ['NO-BILL', 'SB99999', 404, 'bill_not_found'],
    ['B-1', 'SB99999', 404, 'bag_not_found'],
    ['B-1', 'C0000001', 409, 'wrong_bag_type'],
    ['B-1', 'A'.repeat(256), 400, 'invalid_format'],
  ];
  for (const [bill, bag, status, err] of cases) {
    const res = await linkParent(b, bill, bag);
    assert.equal(res.statusCode, status, `${bill} ${bag.slice(0, 10)}`);
    assert.equal(code(res), err);
  }
  assert.equal((await linkParent(b, 'B-1', 'SB00001')).json().outcome, 'linked');
  const other = await linkParent(b, 'B-2', 'SB00001');
  assert.equal(other.statusCode, 409);
  assert.equal(code(other), 'already_linked_other_bill');
  assert.equal(other.json().error.billId, 'B-1', 'names the other bill');
  assert.equal((await linkParent(b, 'B-1', 'SB00002')).json().outcome, 'linked');
  const full = await linkParent(b, 'B-1', 'SB00003');
  assert.equal(full.statusCode, 409);
  assert.equal(code(full), 'capacity_reached');
  assert.deepEqual([full.json().error.parentCount, full.json().error.capacity], [2, 2]);
  const same = await linkParent(b, 'B-1', 'sb00001');
  assert.equal(same.statusCode, 200);
  assert.equal(same.json().outcome, 'already_on_bill', 'this bill: success, nothing changes');
  assert.equal((await b.post('/api/bills/B-1/complete')).statusCode, 200);
  const done = await linkParent(b, 'B-1', 'SB00009');
  assert.equal(done.statusCode, 409);
  assert.equal(code(done), 'bill_completed');
  assert.equal((await linkParent(b, 'B-1', 'SB00002')).json().outcome, 'already_on_bill', 'rule 4 comes before completed');
  assert.equal(code(await linkParent(b, 'B-2', 'SB00002')), 'already_linked_other_bill', 'rule 5 comes before completed');

  assert.equal(await countRows(t.app, 'bags'), bagsBefore, 'no bag was created');
  const { stored, recount } = await billState(t.app, 'B-1');
  assert.deepEqual(stored, { status: 'completed', parentCount: 2, childCount: 1, actualWeightKg: 1, expectedWeightKg: 60 });
  assert.deepEqual(recount, { parentCount: 2, childCount: 1, actualWeightKg: 1, expectedWeightKg: 60 });
  const links = (await billEvents(t.app)).filter((e) => e.action === 'bill.link');
  assert.equal(links.length, cases.length + 8, 'exactly one history row per attempt');
  assert.deepEqual(
    links.map((e) => e.outcome),
    [
      'bill_not_found',
      'bill_not_found',
      'bag_not_found',
      'wrong_bag_type',
      'invalid_format',
      'linked',
      'already_linked_other_bill',
      'linked',
      'capacity_reached',
      'already_on_bill',
      'bill_completed',
      'already_on_bill',
      'already_linked_other_bill',
    ],
  );
  const row = links[6]!;
  assert.deepEqual([row.subject, row.related, (row.details as { billId: string }).billId], ['SB00001', 'B-2', 'B-1']);
});

test('legacy parents (no kind) link by their stored code; expected weight = capacity × 1 kg', async () => {
  const b = await loginAs(t.app, 'biller');
  await insertLegacyBag(t.app, { code: 'PAWAN GODARA 09', type: 'parent', capacity: 20 });
  await createBill(b, 'LEGACY-1', 3);
  const res = await linkParent(b, 'LEGACY-1', 'pawan  godara 09');
  assert.equal(res.json().outcome, 'linked');
  assert.equal(res.json().bill.expectedWeightKg, 20);
});

test('scanId: a replay returns the first answer and writes nothing; a refusal replays as a refusal', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'B-1', 1);
  await parentWith(b, 'SB00001', 2, 'C');
  await parentWith(b, 'SB00002', 0, 'C');
  const scanId = '8b6f6a3c-2b0e-4c59-9d7e-3f1a2b3c4d5e';
  const first = await linkParent(b, 'B-1', 'SB00001', { scanId });
  const again = await linkParent(b, 'B-1', 'SB00001', { scanId });
  assert.equal(first.statusCode, 200);
  assert.equal(again.body, first.body, 'byte-identical answer');
  assert.equal(again.json().outcome, 'linked', 'the original outcome, not already_on_bill');
  const refusedId = '0c0c0c0c-2b0e-4c59-9d7e-3f1a2b3c4d5e';
  const r1 = await linkParent(b, 'B-1', 'SB00002', { scanId: refusedId });
  assert.equal(code(r1), 'capacity_reached');
  await b.patch('/api/bills/B-1', { capacity: 2 });
  const r2 = await linkParent(b, 'B-1', 'SB00002', { scanId: refusedId });
  assert.deepEqual(r2.json(), r1.json(), 'the stored refusal, even though there is room now');
  assert.equal(
    code(await scanChild(b, 'SB00001', 'C0000009', { scanId })),
    'validation_failed',
    'a scanId used for a bill link is not a child scan',
  );
  const links = (await billEvents(t.app)).filter((e) => e.action === 'bill.link');
  assert.deepEqual(
    links.map((e) => e.outcome),
    ['linked', 'capacity_reached'],
  );
  assert.equal((await billState(t.app, 'B-1')).stored.parentCount, 1);
  assert.equal(code(await linkParent(b, 'B-1', 'SB00002', { scanId: 'not-a-uuid' })), 'validation_failed');
});

test('remove a parent: admins and billers; counters and status go back; refused on a completed bill; the history keeps both', async () => {
  const b = await loginAs(t.app, 'biller');
  const admin = await loginAs(t.app, 'admin');
  await createBill(b, 'R/1', 2);
  await parentWith(b, 'SB00001', 4, 'C');
  await parentWith(b, 'M444-00001', 2, 'D');
  await linkParent(b, 'R/1', 'SB00001');
  await linkParent(b, 'R/1', 'M444-00001');
  assert.equal((await (await loginAs(t.app, 'dispatcher')).delete('/api/bills/R%2F1/parents/SB00001')).statusCode, 403);
  assert.equal((await new Client(t.app).delete('/api/bills/R%2F1/parents/SB00001')).statusCode, 401);
  assert.equal((await b.post('/api/bills/R%2F1/complete')).statusCode, 200);
  const locked = await removeParent(b, 'R/1', 'SB00001');
  assert.equal(locked.statusCode, 409);
  assert.equal(code(locked), 'bill_completed');
  await b.post('/api/bills/R%2F1/reopen');

  const res = await removeParent(b, 'r/1', 'sb00001');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    [res.json().bill.parentCount, res.json().bill.childCount, res.json().bill.actualWeightKg, res.json().bill.expectedWeightKg],
    [1, 2, 2, 15],
  );
  assert.equal((await scanParent(b, 'SB00001')).json().bag.billId, null, 'the parent stays, unbilled');
  const gone = await removeParent(b, 'R/1', 'SB00001');
  assert.equal(gone.statusCode, 404);
  assert.equal(code(gone), 'not_found');
  assert.equal(code(await removeParent(b, 'R/1', 'SB77777')), 'bag_not_found');
  assert.equal(code(await removeParent(b, 'NOPE', 'SB00001')), 'bill_not_found');
  const last = await removeParent(admin, 'R/1', 'M444-00001');
  assert.equal(last.json().bill.status, 'new', 'no parents: back to new');
  const { stored, recount } = await billState(t.app, 'R/1');
  assert.deepEqual(stored, { status: 'new', parentCount: 0, childCount: 0, actualWeightKg: 0, expectedWeightKg: 0 });
  assert.deepEqual(recount, { parentCount: 0, childCount: 0, actualWeightKg: 0, expectedWeightKg: 0 });
  const history = (await getBill(b, 'R/1'))
    .json()
    .history.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)
    .reverse();
  assert.deepEqual(history, [
    'bill.create:created',
    'bill.link:linked',
    'bill.link:linked',
    'bill.complete:completed',
    'bill.unlink:bill_completed',
    'bill.reopen:reopened',
    'bill.unlink:unlinked',
    'bill.unlink:not_found',
    'bill.unlink:bag_not_found',
    'bill.unlink:unlinked',
  ]);
});
