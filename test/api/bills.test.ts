/**
 * Bills through the HTTP API: create (ids normalised, duplicates regardless of case, bounds),
 * list (filters, keyset cursor), detail (parents paged in link order, history), edit, delete
 * (admin only: parents unbilled, history kept), and who may reach bills at all.
 * Linking: bills-link.test.ts; counters, completion and locking: bills-counters.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { billEvents, createBill, enc, getBill, linkParent, parentWith } from '../helpers/bills.js';
import { scanParent } from '../helpers/scans.js';

const t = useTestApp();

const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

test('create: normalised id, the SPEC bill object, 201; billers and admins may, dispatchers and anonymous may not', async () => {
  const biller = await loginAs(t.app, 'biller');
  const res = await createBill(biller, '  bill\u200b-0001 ', 25, {
    description: 'Mustard, Jaipur lot',
    destination: 'Delhi',
    vehicleNumber: 'RJ14 GA 1234',
  });
  assert.equal(res.statusCode, 201);
  const bill = res.json().bill;
  assert.deepEqual(
    { ...bill, createdAt: 'x' },
    {
      billId: 'BILL-0001',
      status: 'new',
      capacity: 25,
      parentCount: 0,
      childCount: 0,
      actualWeightKg: 0,
      expectedWeightKg: 0,
      description: 'Mustard, Jaipur lot',
      destination: 'Delhi',
      vehicleNumber: 'RJ14 GA 1234',
      createdBy: biller.user!.username,
      createdAt: 'x',
      completedAt: null,
    },
  );
  assert.equal((await createBill(await loginAs(t.app, 'admin'), 'BILL-0002')).statusCode, 201);
  const d = await createBill(await loginAs(t.app, 'dispatcher'), 'BILL-0003');
  assert.equal(d.statusCode, 403);
  assert.equal(code(d), 'forbidden');
  assert.equal((await createBill(new Client(t.app), 'BILL-0004')).statusCode, 401);
  const nocsrf = await biller.post('/api/bills', { billId: 'BILL-0005', capacity: 1 }, { 'x-csrf-token': '' });
  assert.equal(code(nocsrf), 'csrf_failed');
  const n = await sql<{ n: string }>`select count(*) as n from bills`.execute(t.app.ctx.db);
  assert.equal(Number(n.rows[0]!.n), 2);
});

test('duplicate_bill regardless of case and spacing; invalid ids and out-of-range fields are 400', async () => {
  const b = await loginAs(t.app, 'biller');
  assert.equal((await createBill(b, 'Truck 7/A')).statusCode, 201);
  for (const dup of ['TRUCK 7/A', 'truck  7/a', '\ttruck 7/a\r\n']) {
    const res = await createBill(b, dup);
    assert.equal(res.statusCode, 409, dup);
    assert.equal(code(res), 'duplicate_bill');
  }
  for (const bad of ['AB', 'A'.repeat(51), 'BILL#1', 'bill\u00e91', '', '   ', "x'; drop table bills; --"]) {
    const res = await createBill(b, bad);
    assert.equal(res.statusCode, 400, bad);
    assert.equal(code(res), 'invalid_format', bad);
  }
  for (const body of [
    { billId: 'B-1', capacity: 0 },
    { billId: 'B-1', capacity: 501 },
    { billId: 'B-1', capacity: 2.5 },
    { billId: 'B-1', capacity: '7x' },
    { billId: 'B-1' },
    { billId: 'B-1', capacity: 3, description: 'd'.repeat(201) },
    { billId: 'B-1', capacity: 3, vehicleNumber: 'v'.repeat(51) },
    { billId: 'B-1', capacity: 3, destination: 'd'.repeat(201) },
    { billId: 'B-1', capacity: 3, extra: 1 },
    { billId: { x: 1 }, capacity: 3 },
  ]) {
    const res = await b.post('/api/bills', body);
    assert.equal(res.statusCode, 400, JSON.stringify(body));
    assert.equal(code(res), 'validation_failed');
  }
  const edge = await createBill(b, 'a.b', 500, { description: ' ', vehicleNumber: 'v'.repeat(50) });
  assert.equal(edge.statusCode, 201);
  assert.deepEqual([edge.json().bill.billId, edge.json().bill.capacity, edge.json().bill.description], ['A.B', 500, null]);
  const refused = (await billEvents(t.app)).filter((e) => e.action === 'bill.create').map((e) => e.outcome);
  assert.equal(refused.filter((o) => o === 'duplicate_bill').length, 3, 'refusals are in the history too');
});

test('list: newest first, filters status / q prefix / createdBy / from-to, and a keyset cursor over every page', async () => {
  const b1 = await loginAs(t.app, 'biller');
  const b2 = await loginAs(t.app, 'biller');
  for (let i = 1; i <= 7; i++) await createBill(i % 2 ? b1 : b2, `LOT_${i}/2025`, 3);
  await createBill(b1, 'OTHER-1', 3);
  await parentWith(b1, 'SB00001', 0, 'C');
  await linkParent(b1, 'LOT_1/2025', 'SB00001');
  const ids = (res: { json(): { items: Array<{ billId: string }> } }) => res.json().items.map((i) => i.billId);

  assert.deepEqual(ids(await b1.get('/api/bills?limit=3')), ['OTHER-1', 'LOT_7/2025', 'LOT_6/2025']);
  assert.deepEqual(ids(await b1.get('/api/bills?q=lot_1')), ['LOT_1/2025']);
  assert.deepEqual(ids(await b1.get('/api/bills?q=LOT%25')), [], '% is literal, not a wildcard');
  assert.deepEqual(ids(await b1.get('/api/bills?q=L_T')), [], '_ is literal too');
  assert.equal(ids(await b1.get('/api/bills?q=lot')).length, 7);
  assert.deepEqual(ids(await b1.get('/api/bills?status=processing')), ['LOT_1/2025']);
  assert.equal(ids(await b1.get('/api/bills?status=new')).length, 7);
  assert.deepEqual(ids(await b1.get(`/api/bills?createdBy=${b2.user!.username.toUpperCase()}`)), [
    'LOT_6/2025',
    'LOT_4/2025',
    'LOT_2/2025',
  ]);
  assert.equal(ids(await b1.get('/api/bills?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z')).length, 8);
  assert.deepEqual(ids(await b1.get('/api/bills?from=2999-01-01T00:00:00Z')), []);

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await b1.get(`/api/bills?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200);
    seen.push(...ids(res));
    cursor = res.json().nextCursor;
  } while (cursor);
  assert.equal(seen.length, 8);
  assert.equal(new Set(seen).size, 8);
  for (const bad of ['status=done', 'limit=0', 'limit=101', 'cursor=abc', 'from=yesterday', 'nope=1']) {
    assert.equal((await b1.get(`/api/bills?${bad}`)).statusCode, 400, bad);
  }
  assert.equal((await (await loginAs(t.app, 'dispatcher')).get('/api/bills')).statusCode, 403);
  assert.equal((await new Client(t.app).get('/api/bills')).statusCode, 401);
});

test('detail: parents in link order, paged by cursor; history of every bill action; bill_not_found; %2F in ids', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'DISPATCH/7', 10);
  const parents = ['SB00005', 'SB00002', 'M444-00009', 'SB00001', 'SB00003'];
  for (const p of parents) {
    await scanParent(b, p);
    assert.equal((await linkParent(b, 'dispatch/7', p)).statusCode, 200);
  }
  const first = await b.get(`/api/bills/${enc('DISPATCH/7')}?limit=2`);
  assert.equal(first.statusCode, 200);
  assert.deepEqual(
    first.json().parents.map((p: { code: string }) => p.code),
    ['SB00005', 'SB00002'],
  );
  const got = first.json().parents.map((p: { code: string }) => p.code);
  let cursor = first.json().nextCursor;
  while (cursor) {
    const page = await b.get(`/api/bills/DISPATCH%2F7?limit=2&cursor=${cursor}`);
    got.push(...page.json().parents.map((p: { code: string }) => p.code));
    cursor = page.json().nextCursor;
  }
  assert.deepEqual(got, parents);
  const all = await getBill(b, 'dispatch/7');
  assert.equal(all.json().bill.billId, 'DISPATCH/7');
  assert.equal(all.json().parents[2].billId, 'DISPATCH/7');
  assert.deepEqual(
    all.json().history.map((e: { action: string }) => e.action),
    [...parents.map(() => 'bill.link'), 'bill.create'],
  );
  assert.equal(all.json().history[0].subject, 'SB00003');
  assert.equal(all.json().history[0].related, 'DISPATCH/7');
  assert.equal(all.json().history[0].actor, b.user!.username);
  const older = await getBill(b, 'DISPATCH/7', '?historyLimit=2');
  assert.equal(older.json().history.length, 2);
  const rest = await getBill(b, 'DISPATCH/7', `?historyBefore=${older.json().historyCursor}`);
  assert.equal(rest.json().history.length, 4);

  const missing = await getBill(b, 'NO-SUCH-BILL');
  assert.equal(missing.statusCode, 404);
  assert.equal(code(missing), 'bill_not_found');
  assert.equal(code(await getBill(b, '!!')), 'bill_not_found', 'an id that can never exist');
  assert.equal((await getBill(b, 'DISPATCH/7', '?cursor=bm90LWEtY3Vyc29y')).statusCode, 400);
  assert.equal((await (await loginAs(t.app, 'dispatcher')).get(`/api/bills/${enc('DISPATCH/7')}`)).statusCode, 403);
});

test('edit: text fields and capacity; capacity never below the linked count nor above 500; completed keeps its capacity', async () => {
  const b = await loginAs(t.app, 'biller');
  await createBill(b, 'E-1', 3, { description: 'old' });
  for (const p of ['SB00001', 'SB00002']) {
    await scanParent(b, p);
    await linkParent(b, 'E-1', p);
  }
  const ok = await b.patch('/api/bills/E-1', { description: '  new  text ', destination: 'Kota', vehicleNumber: null, capacity: 2 });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(
    [ok.json().bill.description, ok.json().bill.destination, ok.json().bill.vehicleNumber, ok.json().bill.capacity],
    ['new text', 'Kota', null, 2],
  );
  const below = await b.patch('/api/bills/E-1', { capacity: 1 });
  assert.equal(below.statusCode, 400);
  assert.equal(code(below), 'validation_failed');
  assert.match(below.json().error.message, /2 parents already linked/);
  for (const body of [{ capacity: 501 }, { capacity: 0 }, {}, { billId: 'X-1' }, { description: 'd'.repeat(201) }]) {
    assert.equal((await b.patch('/api/bills/E-1', body)).statusCode, 400, JSON.stringify(body));
  }
  assert.equal(code(await b.patch('/api/bills/NOPE', { capacity: 3 })), 'bill_not_found');
  assert.equal((await b.post('/api/bills/E-1/complete')).statusCode, 200);
  assert.equal(code(await b.patch('/api/bills/E-1', { capacity: 4 })), 'bill_completed');
  assert.equal((await b.patch('/api/bills/E-1', { description: 'loaded' })).json().bill.description, 'loaded');
  assert.equal((await (await loginAs(t.app, 'admin')).patch('/api/bills/E-1', { destination: 'Pune' })).statusCode, 200);
  assert.equal((await (await loginAs(t.app, 'dispatcher')).patch('/api/bills/E-1', { destination: 'X' })).statusCode, 403);
  const edits = (await billEvents(t.app)).filter((e) => e.action === 'bill.edit');
  assert.deepEqual(edits.map((e) => e.outcome).slice(0, 2), ['edited', 'validation_failed']);
});

/** A biller and an admin, and a bill of capacity 3 holding one parent of two children: the delete tests' start. */
async function billWithOneParent(billId: string, parentCode: string): Promise<{ b: Client; admin: Client }> {
  const b = await loginAs(t.app, 'biller');
  const admin = await loginAs(t.app, 'admin');
  await createBill(b, billId, 3);
  await parentWith(b, parentCode, 2, 'C');
  await linkParent(b, billId, parentCode);
  return { b, admin };
}

test('delete: a bill whose parents keep changing under it is refused with bill_busy (409); nothing is deleted', async () => {
  const { b, admin } = await billWithOneParent('BUSY-1', 'SB00021');
  // Each try finds the bill's count and its parents apart, as when links keep slipping in
  // between locking the parents and locking the bill: here for good, by a count set out of step.
  await sql`update bills set parent_count = parent_count + 1 where bill_id = 'BUSY-1'`.execute(t.app.ctx.db);
  const refused = await admin.delete('/api/bills/BUSY-1');
  assert.equal(refused.statusCode, 409);
  assert.equal(code(refused), 'bill_busy');
  assert.match(refused.json().error.message, /try again/);
  assert.equal((await getBill(b, 'BUSY-1')).statusCode, 200);
  const bag = await sql<{ bill_id: string | null }>`select bill_id from bags where code = 'SB00021'`.execute(t.app.ctx.db);
  assert.notEqual(bag.rows[0]!.bill_id, null);
  const history = (await billEvents(t.app)).map((e) => `${e.action}:${e.outcome}`);
  assert.equal(history.at(-1), 'bill.delete:bill_busy');
});

test('delete: admin only; its parents become unbilled and can go on another bill; the history stays readable', async () => {
  const { b, admin } = await billWithOneParent('GONE-1', 'SB00001');
  const denied = await b.delete('/api/bills/GONE-1');
  assert.equal(denied.statusCode, 403);
  assert.equal(code(denied), 'forbidden');
  assert.equal((await (await loginAs(t.app, 'dispatcher')).delete('/api/bills/GONE-1')).statusCode, 403);
  assert.equal((await admin.delete('/api/bills/gone-1')).statusCode, 204);
  assert.equal(code(await getBill(b, 'GONE-1')), 'bill_not_found');
  assert.equal(code(await admin.delete('/api/bills/GONE-1')), 'bill_not_found');
  const bag = await sql<{
    bill_id: string | null;
    bill_linked_at: Date | null;
  }>`select bill_id, bill_linked_at from bags where code = 'SB00001'`.execute(t.app.ctx.db);
  assert.deepEqual(bag.rows[0], { bill_id: null, bill_linked_at: null });
  const history = (await billEvents(t.app)).map((e) => `${e.action}:${e.outcome}`);
  assert.deepEqual(history, ['bill.create:created', 'bill.link:linked', 'bill.delete:deleted', 'bill.delete:bill_not_found']);
  const snap = (await billEvents(t.app))[2]!.details as { snapshot: { billId: string; parentCount: number }; unbilledParents: number };
  assert.deepEqual([snap.snapshot.billId, snap.snapshot.parentCount, snap.unbilledParents], ['GONE-1', 1, 1]);
  await createBill(b, 'NEXT-1', 3);
  assert.equal((await linkParent(b, 'NEXT-1', 'SB00001')).json().outcome, 'linked');
  // The same id can be created again; its page shows the whole history of that id.
  await createBill(b, 'GONE-1', 3);
  assert.equal((await getBill(b, 'GONE-1')).json().history.length, 5);
});
