/**
 * Exports (SPEC §10): every role allowed and denied per list, dispatcher scoping to their own
 * area (bags, events), the list filters, file names, XLSX, and an export of more than 10,000
 * rows that is complete (no cap). Rows are seeded with one bulk SQL insert, not 10k requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { scanParent } from '../helpers/scans.js';
import type { App } from '../../src/app.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

/** n unlinked children in one area, created a second apart (one statement). */
async function seedChildren(app: App, n: number, area: string, prefix: string) {
  await sql`insert into bags (code, type, kind_id, area_id, status, created_at, updated_at)
    select ${prefix} || lpad(g::text, 7, '0'), 'child', 'CHILD', ${area}, 'unlinked',
           timestamptz '2026-11-20T00:00:00Z' + g * interval '1 second', now()
    from generate_series(1, ${n}::int) g`.execute(app.ctx.db);
}

const lines = (body: string) => body.trimEnd().split('\r\n');

test('every role: allowed and denied exports; a dispatcher sees their own area only', async () => {
  const admin = await loginAs(t.app, 'admin');
  const biller = await loginAs(t.app, 'biller');
  const dispatcher = await loginAs(t.app, 'dispatcher'); // lucknow
  await scanParent(dispatcher, 'SB40001');
  await scanParent(admin, 'SB40002', { area: 'indore' });
  await admin.post('/api/bills', { billId: 'EXP-1', capacity: 2 });

  const status = async (c: Client, what: string) => (await c.get(`/api/exports/${what}`)).statusCode;
  const expect: [Client, string, number][] = [
    [admin, 'bags.csv', 200],
    [admin, 'bills.csv', 200],
    [admin, 'events.csv', 200],
    [admin, 'users.csv', 200],
    [biller, 'bags.csv', 200],
    [biller, 'bills.xlsx', 200],
    [biller, 'events.csv', 200],
    [biller, 'users.csv', 403],
    [dispatcher, 'bags.csv', 200],
    [dispatcher, 'events.xlsx', 200],
    [dispatcher, 'bills.csv', 403],
    [dispatcher, 'users.xlsx', 403],
    [new Client(t.app), 'bags.csv', 401],
    [new Client(t.app), 'users.csv', 401],
  ];
  for (const [c, what, code] of expect) assert.equal(await status(c, what), code, `${c.user?.role ?? 'anonymous'} ${what}`);

  const mine = lines((await dispatcher.get('/api/exports/bags.csv?area=indore')).body);
  assert.deepEqual(
    mine.slice(1).map((l) => l.split(',')[0]),
    ['SB40001'],
    'asking for another area still gives their own',
  );
  const all = lines((await admin.get('/api/exports/bags.csv')).body);
  assert.equal(all.length, 3);
  const events = lines((await dispatcher.get('/api/exports/events.csv?includeScans=true')).body).slice(1);
  assert.ok(events.length >= 1);
  assert.ok(
    events.every((l) => l.split(',')[9] === 'lucknow'),
    events.join('\n'),
  );
  const adminEvents = lines((await admin.get('/api/exports/events.csv?includeScans=true')).body).slice(1);
  assert.ok(adminEvents.some((l) => l.split(',')[9] === 'indore'));

  const users = await admin.get('/api/exports/users.xlsx');
  assert.match(String(users.headers['content-type']), /spreadsheetml/);
  assert.match(String(users.headers['content-disposition']), /filename="tracetrack-users-20261125-\d{4}\.xlsx"/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(users.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  assert.equal(ws.getRow(1).getCell(2).value, 'username');
  assert.equal(ws.rowCount, 1 + 3, 'header + the three users');
  const bills = lines((await biller.get('/api/exports/bills.csv')).body);
  assert.equal(bills[0]!.split(',')[0], 'bill_id');
  assert.equal(bills[1]!.split(',')[0], 'EXP-1');
});

test('filters apply and bad filters are 400 before any byte is sent', async () => {
  const admin = await loginAs(t.app, 'admin');
  await scanParent(admin, 'SB40003');
  await seedChildren(t.app, 5, 'lucknow', 'F');
  const parents = lines((await admin.get('/api/exports/bags.csv?type=parent')).body);
  assert.deepEqual(
    parents.slice(1).map((l) => l.split(',')[0]),
    ['SB40003'],
  );
  const head = lines((await admin.get('/api/exports/bags.csv?type=child')).body)[0]!;
  assert.equal(head, 'code,type,kind,area,status,child_count,capacity,parent_code,bill_id,created_at,created_at (Asia/Kolkata)');
  const row = lines((await admin.get('/api/exports/bags.csv?type=child')).body)[1]!.split(',');
  assert.equal(row[9], '2026-11-20T00:00:05.000Z');
  assert.equal(row[10], '2026-11-20 05:30:05');
  for (const url of [
    '/api/exports/bags.csv?type=box',
    '/api/exports/bags.csv?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z',
    '/api/exports/bills.csv?status=lost',
    '/api/exports/users.csv?x=1',
    '/api/exports/bags.pdf',
  ]) {
    const res = await admin.get(url);
    assert.ok(res.statusCode === 400 || res.statusCode === 404, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
});

test('an export of more than 10,000 rows is complete', async () => {
  const admin = await loginAs(t.app, 'admin');
  await seedChildren(t.app, 10_050, 'lucknow', 'N');
  await seedChildren(t.app, 7, 'indore', 'I');
  const res = await admin.get('/api/exports/bags.csv');
  assert.equal(res.statusCode, 200);
  const body = lines(res.body).slice(1);
  assert.equal(body.length, 10_057);
  assert.equal(new Set(body.map((l) => l.split(',')[0])).size, 10_057, 'no row twice');
  const dispatcher = await loginAs(t.app, 'dispatcher');
  assert.equal(lines((await dispatcher.get('/api/exports/bags.csv')).body).length - 1, 10_050);
});

test('the list pages link their exports with the same filters', async () => {
  const admin = await loginAs(t.app, 'admin');
  const bags = await admin.get('/bags?type=child&from=2026-11-24');
  assert.match(bags.body, /href="\/api\/exports\/bags\.csv\?type=child&amp;from=2026-11-23T18%3A30%3A00\.000Z"/);
  assert.match((await admin.get('/bills?status=new')).body, /href="\/api\/exports\/bills\.xlsx\?status=new"/);
  assert.match((await admin.get('/admin/users')).body, /href="\/api\/exports\/users\.csv"/);
  assert.match((await admin.get('/admin/audit')).body, /href="\/api\/exports\/events\.xlsx"/);
});
