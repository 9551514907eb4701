/**
 * Imports (SPEC §10): each kind with good and bad rows and their error codes, the scan and
 * bill rules applied as to scans, dry run writes nothing and answers like the real run, a
 * second import of a file changes nothing, a label block is all-or-nothing, the report
 * downloads, roles and bad input (never a 5xx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { countRows } from '../helpers/scans.js';
import { bagsFile, csvRows, upload } from '../helpers/imports.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

const bagCount = () => countRows(t.app, 'bags');
const bag = (code: string) => t.app.ctx.db.selectFrom('bags').selectAll().where('code', '=', code).executeTakeFirst();

test('bags: each row follows the scan rules; one history entry; the bags name the import', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await upload(admin, bagsFile, { kind: 'bags' });
  assert.equal(res.statusCode, 200, res.body);
  const a = res.json();
  assert.deepEqual(
    { rows: a.rows, created: a.created, linked: a.linked, skipped: a.skipped, failed: a.failed, dryRun: a.dryRun, kind: a.kind },
    { rows: 9, created: 2, linked: 1, skipped: 0, failed: 6, dryRun: false, kind: 'bags' },
  );
  assert.deepEqual(
    a.errors.map((e: { row: number; code: string }) => [e.row, e.code]),
    [
      [5, 'invalid_format'],
      [6, 'wrong_bag_type'],
      [7, 'validation_failed'],
      [8, 'validation_failed'],
      [9, 'parent_not_found'],
      [10, 'wrong_bag_type'],
    ],
  );
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
  assert.ok(
    history.some((h) => h.action === 'import.bag'),
    JSON.stringify(history),
  );
  const parentHistory = (await admin.get('/api/bags/SB10001')).json().history as { action: string }[];
  assert.equal(parentHistory.filter((h) => h.action === 'import.bag').length, 2, 'created, and its child linked');

  // The report: one line per failed or skipped row, CSV and XLSX.
  const report = await admin.get(`/api/imports/${a.importId}/report.csv`);
  assert.equal(report.statusCode, 200);
  const lines = csvRows(report.body);
  assert.deepEqual(lines[0], ['row', 'outcome', 'code', 'error_code', 'message']);
  assert.deepEqual(
    lines.slice(1).map((l) => l[0]),
    ['5', '6', '7', '8', '9', '10'],
  );
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

test('the sample files in docs/samples import without an error, in the documented order', async () => {
  const admin = await loginAs(t.app, 'admin');
  const fs = await import('node:fs');
  const got: Record<string, number[]> = {};
  for (const kind of ['bags', 'label_batches', 'bills', 'bill_batches']) {
    const a = (await upload(admin, fs.readFileSync(`docs/samples/${kind}.csv`), { kind, fileName: `${kind}.csv` })).json();
    got[kind] = [a.rows, a.created, a.linked, a.skipped, a.failed];
  }
  assert.deepEqual(got, {
    bags: [5, 3, 2, 0, 0],
    label_batches: [16, 1, 15, 0, 0],
    bills: [2, 2, 0, 0, 0],
    bill_batches: [4, 1, 3, 0, 0],
  });
});

test('import reports are purged after 30 days; the import record and its history stay', async () => {
  const admin = await loginAs(t.app, 'admin');
  const a = (await upload(admin, bagsFile, { kind: 'bags' })).json();
  const { forgetOldImportReports } = await import('../../src/domain/imports/import-retention.js');
  assert.equal(await forgetOldImportReports(t.app.ctx), 0, 'a fresh report stays');
  t.clock.advanceMinutes(31 * 24 * 60);
  assert.equal(await forgetOldImportReports(t.app.ctx), 6);
  const later = await loginAs(t.app, 'admin'); // the first session has long expired
  assert.equal(csvRows((await later.get(`/api/imports/${a.importId}/report.csv`)).body).length, 1, 'header only');
  assert.equal((await later.get(`/api/imports/${a.importId}`)).json().import.failed, 6);
});
