/**
 * Reports API (SPEC §12): the daily report's shape and scoping for every role, bad inputs
 * (never a 5xx), the bill summary (billers: own bills; admins: any creator) with totals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { fill, scanParent } from '../helpers/scans.js';
import { errorCode } from '../helpers/lookups.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' }); // 11:30 in Kolkata
const DAY = '2026-11-25';

test('the SPEC §12 shape for admins and billers; dispatchers get their own area and no bills', async () => {
  const a = t.app;
  const [admin, biller, lucknow, indore] = [
    await loginAs(a, 'admin'),
    await loginAs(a, 'biller'),
    await loginAs(a, 'dispatcher'),
    await loginAs(a, 'dispatcher', { areaId: 'indore' }),
  ];
  await scanParent(lucknow, 'SB00001');
  await fill(lucknow, 'SB00001', 3);
  await scanParent(indore, 'SB00002');
  await scanParent(indore, 'SB00001'); // refused: another area's parent
  assert.equal((await biller.post('/api/bills', { billId: 'BILL-REP-1', capacity: 2 })).statusCode, 201);

  const res = await admin.get(`/api/reports/daily?date=${DAY}`);
  assert.equal(res.statusCode, 200, res.body);
  const r = res.json();
  assert.deepEqual(Object.keys(r).sort(), [
    'area',
    'bills',
    'byArea',
    'byUser',
    'date',
    'hourly',
    'parents',
    'returns',
    'scans',
    'timezone',
  ]);
  assert.deepEqual(r.scans, { parent: 2, child: 3, refused: 1 });
  assert.equal(r.hourly.length, 24);
  assert.equal(r.hourly[11], 3, 'child scans at 11:xx Kolkata time');
  assert.deepEqual(
    r.byArea.find((x: { area: string }) => x.area === 'lucknow'),
    { area: 'lucknow', parentBags: 1, childScans: 3 },
  );
  assert.deepEqual(
    r.byUser.find((u: { username: string }) => u.username === lucknow.user!.username),
    { username: lucknow.user!.username, childScans: 3, parentScans: 1, refused: 0 },
  );
  assert.deepEqual(r.bills, { created: 1, completed: 0, byStatus: { new: 1, processing: 0, completed: 0 } });
  assert.deepEqual(r.returns, { tickets: 0, bags: 0 });
  assert.equal(r.timezone, 'Asia/Kolkata');

  const b = (await biller.get(`/api/reports/daily?date=${DAY}&area=lucknow`)).json();
  assert.deepEqual([b.area, b.scans, b.byArea.length], ['lucknow', { parent: 1, child: 3, refused: 0 }, 1]);

  const d = await lucknow.get('/api/reports/daily'); // today by the clock, own area
  assert.equal(d.statusCode, 200, d.body);
  assert.deepEqual([d.json().date, d.json().area, d.json().scans], [DAY, 'lucknow', { parent: 1, child: 3, refused: 0 }]);
  assert.deepEqual(d.json().bills, { created: 0, completed: 0, byStatus: { new: 0, processing: 0, completed: 0 } });
  assert.equal((await lucknow.get('/api/reports/daily?area=lucknow')).statusCode, 200);
  const other = await lucknow.get('/api/reports/daily?area=indore');
  assert.deepEqual([other.statusCode, errorCode(other)], [403, 'wrong_area']);
  for (const ext of ['csv', 'xlsx', 'pdf']) assert.equal((await lucknow.get(`/api/reports/daily.${ext}?area=indore`)).statusCode, 403);
});

test('bad inputs are 400/404, never a 5xx; anonymous is 401', async () => {
  const admin = await loginAs(t.app, 'admin');
  for (const q of ['date=2026-02-30', 'date=26-11-25', 'date=2026-13-01', 'date=x', 'area=Not%20An%20Id', 'date=2026-11-25&extra=1']) {
    const res = await admin.get(`/api/reports/daily?${q}`);
    assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
  }
  const unknown = await admin.get('/api/reports/daily?area=atlantis');
  assert.deepEqual([unknown.statusCode, errorCode(unknown)], [404, 'not_found']);
  for (const url of ['/api/reports/daily', '/api/reports/daily.csv', '/api/reports/bills'])
    assert.equal((await new Client(t.app).get(url)).statusCode, 401);
});

test('downloads: CSV, XLSX and PDF of the day, for every role that may read it', async () => {
  const a = t.app;
  const lucknow = await loginAs(a, 'dispatcher');
  await scanParent(lucknow, 'SB00009');
  await fill(lucknow, 'SB00009', 2);
  for (const c of [await loginAs(a, 'admin'), await loginAs(a, 'biller'), lucknow]) {
    const csv = await c.get(`/api/reports/daily.csv?date=${DAY}`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /tracetrack-report-2026-11-25.*\.csv/);
    assert.match(csv.body, /child scans,2\r\n/);
    const xlsx = await c.get(`/api/reports/daily.xlsx?date=${DAY}`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const pdf = await c.get(`/api/reports/daily.pdf?date=${DAY}`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  }
});

test('bill summary: billers see their own bills, admins any creator; totals; refusals', async () => {
  const a = t.app;
  const [admin, b1, b2, disp] = [
    await loginAs(a, 'admin'),
    await loginAs(a, 'biller'),
    await loginAs(a, 'biller'),
    await loginAs(a, 'dispatcher'),
  ];
  await scanParent(b1, 'SB00011');
  await fill(b1, 'SB00011', 2);
  assert.equal((await b1.post('/api/bills', { billId: 'SUM-1', capacity: 3 })).statusCode, 201);
  assert.equal((await b1.post('/api/bills/SUM-1/parents', { code: 'SB00011' })).statusCode, 200);
  t.clock.advanceMinutes(24 * 60);
  for (const c of [admin, b1, b2, disp]) await c.login(c.user!.username); // sessions end after 12 h
  assert.equal((await b1.post('/api/bills', { billId: 'SUM-2', capacity: 1 })).statusCode, 201);
  assert.equal((await b2.post('/api/bills', { billId: 'SUM-3', capacity: 1 })).statusCode, 201);

  const own = await b1.get('/api/reports/bills?from=2026-11-25&to=2026-11-26');
  assert.equal(own.statusCode, 200, own.body);
  assert.deepEqual(
    own.json().items.map((x: { billId: string }) => x.billId),
    ['SUM-1', 'SUM-2'],
  );
  assert.deepEqual(own.json().totals, {
    bills: 2,
    parentCount: 1,
    childCount: 2,
    actualWeightKg: 2,
    expectedWeightKg: 30,
    byStatus: { new: 1, processing: 1, completed: 0 },
  });
  assert.equal(own.json().createdBy, b1.user!.username);
  const oneDay = (await b1.get('/api/reports/bills?from=2026-11-26&to=2026-11-26')).json();
  assert.deepEqual(
    oneDay.items.map((x: { billId: string }) => x.billId),
    ['SUM-2'],
  );
  assert.deepEqual(
    (await b1.get('/api/reports/bills')).json().items.map((x: { billId: string }) => x.billId),
    ['SUM-2'],
    'default: today',
  );

  const all = (await admin.get('/api/reports/bills?from=2026-11-25&to=2026-11-26')).json();
  assert.deepEqual([all.totals.bills, all.createdBy], [3, null]);
  const byB2 = (await admin.get(`/api/reports/bills?from=2026-11-25&to=2026-11-26&createdBy=${b2.user!.username.toUpperCase()}`)).json();
  assert.deepEqual(
    byB2.items.map((x: { billId: string; createdBy: string }) => [x.billId, x.createdBy]),
    [['SUM-3', b2.user!.username]],
  );

  const refusals: Array<[Client, string, number, string]> = [
    [b1, `createdBy=${b2.user!.username}`, 403, 'forbidden'],
    [disp, '', 403, 'forbidden'],
    [admin, 'createdBy=nobody_here', 404, 'not_found'],
    [admin, 'from=2026-11-26&to=2026-11-25', 400, 'validation_failed'],
    [admin, 'from=2025-01-01&to=2026-11-25', 400, 'validation_failed'],
    [admin, 'from=2026-02-31', 400, 'validation_failed'],
  ];
  for (const [c, q, status, code] of refusals) {
    const res = await c.get(`/api/reports/bills?${q}`);
    assert.deepEqual([res.statusCode, errorCode(res)], [status, code], q);
  }
});

test('/reports page: charts and downloads for every role; the bill summary for billers and admins only', async () => {
  const a = t.app;
  const lucknow = await loginAs(a, 'dispatcher');
  await scanParent(lucknow, 'SB00021');
  await fill(lucknow, 'SB00021', 2);
  for (const [role, withBills] of [
    ['admin', true],
    ['biller', true],
    ['dispatcher', false],
  ] as const) {
    const c = role === 'dispatcher' ? lucknow : await loginAs(a, role);
    const res = await c.get(`/reports?date=${DAY}`);
    assert.equal(res.statusCode, 200, `${role}: ${res.body.slice(0, 300)}`);
    assert.match(res.body, /<svg class="chart columns"/);
    assert.match(res.body, /href="\/api\/reports\/daily\.pdf\?date=2026-11-25/);
    assert.equal(res.body.includes('id="bill-summary"'), withBills, role);
    assert.equal(res.body.includes('<select name="area">'), role !== 'dispatcher', role);
  }
  const bad = await lucknow.get('/reports?date=2026-02-30');
  assert.equal(bad.statusCode, 400);
  assert.equal((await lucknow.get('/reports?area=indore')).statusCode, 403);
  const anon = await new Client(a).get('/reports');
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/login/);
});
