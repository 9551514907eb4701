/**
 * Imports of label and bill batches and bills (SPEC §10): blocks, the bill rules, a label block
 * all-or-nothing, a second import changes nothing; roles and bad input (never a 5xx).
 * Bags, dry run and the report: imports.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { scanChild, scanParent } from '../helpers/scans.js';
import { bagsFile, csv, upload, xlsx } from '../helpers/imports.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

const bag = (code: string) => t.app.ctx.db.selectFrom('bags').selectAll().where('code', '=', code).executeTakeFirst();

const labels = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => [String(i + 1), `LABEL NO.${String(from + i).padStart(7, '0')} LOT NO.:STAR44GG`]);

test('label batches: blocks close on a parent row; a block is all-or-nothing', async () => {
  const admin = await loginAs(t.app, 'admin');
  // A child already in another parent makes its whole block fail.
  await scanParent(admin, 'SB20000');
  await scanChild(admin, 'SB20000', '0000105');
  const file = await xlsx([
    ['Sr. No.', 'QR Code'],
    ...labels(1, 15),
    ['16', 'M444-00001'], // rows 2-17: one full moong parent
    ...labels(101, 5),
    ['16', 'SB20001'], // rows 18-23: 0000105 is in SB20000 → whole block refused
    ...labels(201, 2), // rows 24-25: no parent row closes it
  ]);
  const res = await upload(admin, file, { kind: 'label_batches', fileName: 'labels.xlsx' });
  assert.equal(res.statusCode, 200, res.body);
  const a = res.json();
  assert.deepEqual([a.rows, a.created, a.linked, a.skipped, a.failed], [24, 1, 15, 0, 8]);
  const m = (await bag('M444-00001'))!;
  assert.deepEqual([m.child_count, m.status], [15, 'completed']);
  assert.equal(await bag('SB20001'), undefined, 'the refused block created nothing');
  assert.equal(await bag('0000101'), undefined);
  const codes = new Map(a.errors.map((e: { row: number; code: string }) => [e.row, e.code]));
  assert.equal(codes.get(22), 'already_linked_other_parent');
  assert.equal(codes.get(18), 'already_linked_other_parent');
  assert.equal(codes.get(24), 'parent_not_found');
  // Twice: nothing changes.
  const again = (await upload(admin, file, { kind: 'label_batches', fileName: 'labels.xlsx' })).json();
  assert.deepEqual([again.created, again.linked, again.skipped, again.failed], [0, 0, 16, 8]);
});

test('bills and bill batches follow the bill rules', async () => {
  const admin = await loginAs(t.app, 'admin');
  const bills = csv([
    ['bill_id', 'capacity', 'description', 'destination', 'vehicle_number'],
    ['BILL-1', '2', 'Mustard', 'Delhi', 'RJ13 1234'],
    ['bill-1', '3', '', '', ''], // duplicate regardless of case: skipped
    ['X', '2', '', '', ''], // too short
    ['BILL-2', '0', '', '', ''], // capacity
    ['BILL-3', 'ten', '', '', ''],
  ]);
  const b = (await upload(admin, bills, { kind: 'bills' })).json();
  assert.deepEqual([b.rows, b.created, b.skipped, b.failed], [5, 1, 1, 3]);
  assert.deepEqual(
    b.errors.map((e: { code: string }) => e.code),
    ['invalid_format', 'validation_failed', 'validation_failed'].slice(0, b.errors.length),
  );

  for (const p of ['SB30001', 'SB30002', 'SB30003']) await scanParent(admin, p);
  await admin.post('/api/bills', { billId: 'OTHER-1', capacity: 5 });
  await admin.post('/api/bills/OTHER-1/parents', { code: 'SB30003' });
  const batches = csv([
    ['Sr. No.', 'QR Code'],
    ['1', 'SB30001'],
    ['2', 'SB30002'],
    ['3', 'SB30003'],
    ['4', 'SB39999'],
    ['Bill', 'TRUCK-7'],
    ['1', 'SB30001'], // no bill row closes it
  ]);
  const r = (await upload(admin, batches, { kind: 'bill_batches' })).json();
  assert.deepEqual([r.rows, r.created, r.linked, r.failed], [6, 1, 2, 3]);
  assert.deepEqual(
    r.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
    [
      [4, 'already_linked_other_bill'],
      [5, 'bag_not_found'],
      [7, 'bill_not_found'],
    ],
  );
  const bill = (await admin.get('/api/bills/TRUCK-7')).json().bill;
  assert.deepEqual([bill.capacity, bill.parentCount, bill.status, bill.expectedWeightKg], [4, 2, 'processing', 60]);
  const again = (await upload(admin, batches, { kind: 'bill_batches' })).json();
  assert.deepEqual([again.created, again.linked, again.skipped, again.failed], [0, 0, 3, 3]);
});

test('only admins import; bad requests are 4xx, never 5xx', async () => {
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await upload(c, bagsFile, { kind: 'bags' })).statusCode, 403);
    assert.equal((await c.get('/api/imports')).statusCode, 403);
  }
  const anon = new Client(t.app);
  assert.equal((await upload(anon, bagsFile, { kind: 'bags' })).statusCode, 401);
  const admin = await loginAs(t.app, 'admin');
  const bad: [string, Awaited<ReturnType<typeof upload>>][] = [
    ['no kind', await upload(admin, bagsFile, {})],
    ['bad kind', await upload(admin, bagsFile, { kind: 'people' })],
    ['bad dryRun', await upload(admin, bagsFile, { kind: 'bags', dryRun: 'maybe' })],
    ['pdf', await upload(admin, bagsFile, { kind: 'bags', fileName: 'x.pdf' })],
    ['broken xlsx', await upload(admin, 'PK\u0003\u0004garbage', { kind: 'bags', fileName: 'x.xlsx' })],
    ['file first', await upload(admin, bagsFile, { kind: 'bags', fileFirst: true })],
    ['json', await admin.post('/api/imports', { kind: 'bags' })],
    // Broken multipart bodies (found by the fuzz suite, seed 579195349): a boundary longer than
    // the 70 characters RFC 2046 allows, none at all, and a body that never closes.
    [
      'long boundary',
      await admin.post('/api/imports?kind=bags&dryRun=false', 'x', { 'content-type': `multipart/form-data; boundary=${'b'.repeat(200)}` }),
    ],
    ['no boundary', await admin.post('/api/imports?kind=bags', '--x--garbage', { 'content-type': 'multipart/form-data' })],
    [
      'unclosed',
      await admin.post('/api/imports?kind=bags', '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ncode', {
        'content-type': 'multipart/form-data; boundary=zz',
      }),
    ],
  ];
  for (const [what, res] of bad) assert.equal(res.statusCode, 400, `${what}: ${res.statusCode} ${res.body}`);
  assert.equal((await admin.get('/api/imports/999999')).statusCode, 404);
  assert.equal((await admin.get('/api/imports/abc/report.csv')).statusCode, 400);
});
