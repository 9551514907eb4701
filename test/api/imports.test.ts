/**
 * Imports (SPEC §10): each kind with good and bad rows and their error codes, the scan and
 * bill rules applied as to scans, dry run writes nothing and answers like the real run, a
 * second import of a file changes nothing, a label block is all-or-nothing, the report
 * downloads, roles and bad input (never a 5xx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { countRows, scanChild, scanParent } from '../helpers/scans.js';
import { csv, csvRows, upload, xlsx } from '../helpers/imports.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

const bagsFile = csv([
  ['code', 'type', 'parent_code', 'area'],
  ['SB10001', 'parent', '', 'indore'], // 2 created
  ['CH000001', 'child', 'SB10001', ''], // 3 linked
  ['CH000002', 'child', '', ''], // 4 created, unlinked
  ['SB1', 'parent', '', ''], // 5 invalid_format
  ['CH000003', 'child', 'CH000002', ''], // 6 wrong_bag_type (parent is a child)
  ['CH000004', 'box', '', ''], // 7 validation_failed
  ['SB10002', 'parent', '', 'atlantis'], // 8 validation_failed (area)
  ['CH000005', 'child', 'SB99999', ''], // 9 parent_not_found
  ['SB10001', 'child', '', ''], // 10 wrong_bag_type (a parent)
]);

const bagCount = () => countRows(t.app, 'bags');
const bag = (code: string) => t.app.ctx.db.selectFrom('bags').selectAll().where('code', '=', code).executeTakeFirst();

test('bags: each row follows the scan rules; one history entry; the bags name the import', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await upload(admin, bagsFile, { kind: 'bags' });
  assert.equal(res.statusCode, 200, res.body);
  const a = res.json();
  assert.deepEqual({ rows: a.rows, created: a.created, linked: a.linked, skipped: a.skipped, failed: a.failed, dryRun: a.dryRun, kind: a.kind },
    { rows: 9, created: 2, linked: 1, skipped: 0, failed: 6, dryRun: false, kind: 'bags' });
  assert.deepEqual(a.errors.map((e: { row: number; code: string }) => [e.row, e.code]), [
    [5, 'invalid_format'], [6, 'wrong_bag_type'], [7, 'validation_failed'], [8, 'validation_failed'], [9, 'parent_not_found'], [10, 'wrong_bag_type'],
  ]);
  assert.equal((await bag('SB10001'))!.area_id, 'indore');
  assert.equal((await bag('SB10001'))!.child_count, 1);
  assert.equal((await bag('CH000001'))!.area_id, 'indore', 'a child takes its parent area');
  assert.equal((await bag('CH000002'))!.status, 'unlinked');
  assert.equal(await bag('SB1'), undefined);

  const summary = await t.app.ctx.db.selectFrom('events').selectAll().where('action', '=', 'import').execute();
  assert.equal(summary.length, 1);
  assert.equal(summary[0]!.subject, `import:${a.importId}`);
  assert.equal((summary[0]!.details as { created: number }).created, 2);
  // The bag page's timeline names the import.
  const page = await admin.get('/api/bags/CH000001');
  const history = page.json().history as { action: string; details?: { importId?: string } }[];
  assert.ok(history.some((h) => h.action === 'import.bag'), JSON.stringify(history));
  const parentHistory = (await admin.get('/api/bags/SB10001')).json().history as { action: string }[];
  assert.equal(parentHistory.filter((h) => h.action === 'import.bag').length, 2, 'created, and its child linked');

  // The report: one line per failed or skipped row, CSV and XLSX.
  const report = await admin.get(`/api/imports/${a.importId}/report.csv`);
  assert.equal(report.statusCode, 200);
  const lines = csvRows(report.body);
  assert.deepEqual(lines[0], ['row', 'outcome', 'code', 'error_code', 'message']);
  assert.deepEqual(lines.slice(1).map((l) => l[0]), ['5', '6', '7', '8', '9', '10']);
  const x = await admin.get(`/api/imports/${a.importId}/report.xlsx`);
  assert.equal(x.statusCode, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
  assert.equal(wb.worksheets[0]!.rowCount, 7);

  const list = (await admin.get('/api/imports')).json();
  assert.equal(list.items[0].importId, a.importId);
  assert.equal(list.items[0].fileName, 'data.csv');
  assert.equal(list.items[0].status, 'done');
});

test('dry run answers like the real run and writes nothing; a second import changes nothing', async () => {
  const admin = await loginAs(t.app, 'admin');
  const beforeBags = await bagCount();
  const beforeEvents = await countRows(t.app, 'events');
  const dry = (await upload(admin, bagsFile, { kind: 'bags', dryRun: true })).json();
  assert.equal(dry.dryRun, true);
  assert.equal(await bagCount(), beforeBags);
  assert.equal(await countRows(t.app, 'events'), beforeEvents);
  const real = (await upload(admin, bagsFile, { kind: 'bags', dryRun: false })).json();
  const strip = (x: Record<string, unknown>) => ({ ...x, importId: undefined, dryRun: undefined });
  assert.deepEqual(strip(dry), strip(real));
  const afterFirst = await bagCount();
  const eventsAfterFirst = await countRows(t.app, 'events');
  const again = (await upload(admin, bagsFile, { kind: 'bags' })).json();
  assert.deepEqual([again.created, again.linked, again.skipped, again.failed], [0, 0, 3, 6]);
  assert.equal(await bagCount(), afterFirst);
  assert.equal(await countRows(t.app, 'events'), eventsAfterFirst + 1, 'only the import entry itself');
  // The dry run's report is downloadable too.
  assert.equal(csvRows((await admin.get(`/api/imports/${dry.importId}/report.csv`)).body).length, 7);
});

const labels = (from: number, n: number) => Array.from({ length: n }, (_, i) => [String(i + 1), `LABEL NO.${String(from + i).padStart(7, '0')} LOT NO.:STAR44GG`]);

test('label batches: blocks close on a parent row; a block is all-or-nothing', async () => {
  const admin = await loginAs(t.app, 'admin');
  // A child already in another parent makes its whole block fail.
  await scanParent(admin, 'SB20000');
  await scanChild(admin, 'SB20000', '0000105');
  const file = await xlsx([
    ['Sr. No.', 'QR Code'],
    ...labels(1, 15), ['16', 'M444-00001'], // rows 2-17: one full moong parent
    ...labels(101, 5), ['16', 'SB20001'], // rows 18-23: 0000105 is in SB20000 → whole block refused
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
  assert.deepEqual(b.errors.map((e: { code: string }) => e.code), ['invalid_format', 'validation_failed', 'validation_failed'].slice(0, b.errors.length));

  for (const p of ['SB30001', 'SB30002', 'SB30003']) await scanParent(admin, p);
  await admin.post('/api/bills', { billId: 'OTHER-1', capacity: 5 });
  await admin.post('/api/bills/OTHER-1/parents', { code: 'SB30003' });
  const batches = csv([
    ['Sr. No.', 'QR Code'],
    ['1', 'SB30001'], ['2', 'SB30002'], ['3', 'SB30003'], ['4', 'SB39999'], ['Bill', 'TRUCK-7'],
    ['1', 'SB30001'], // no bill row closes it
  ]);
  const r = (await upload(admin, batches, { kind: 'bill_batches' })).json();
  assert.deepEqual([r.rows, r.created, r.linked, r.failed], [6, 1, 2, 3]);
  assert.deepEqual(r.errors.map((e: { row: number; code: string }) => [e.row, e.code]), [[4, 'already_linked_other_bill'], [5, 'bag_not_found'], [7, 'bill_not_found']]);
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
  ];
  for (const [what, res] of bad) assert.equal(res.statusCode, 400, `${what}: ${res.statusCode} ${res.body}`);
  assert.equal((await admin.get('/api/imports/999999')).statusCode, 404);
  assert.equal((await admin.get('/api/imports/abc/report.csv')).statusCode, 400);
});
