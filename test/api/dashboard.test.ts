/**
 * GET /api/dashboard/stats and GET /api/scans/recent: the SPEC §7 shape, area scoping, "today" in
 * DISPLAY_TIMEZONE, and the sharded counters equal a recount after a burst of scans, undos,
 * moves and deletes (the `tracetrack check` comparison).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';
import { errorCode } from '../helpers/lookups.js';
import { dashboardCountersCheck } from '../../src/domain/dashboard/dashboard-check.js';
import { runChecks } from '../../src/domain/check/check.service.js';
import { syncCounterZone } from '../../src/storage/dashboard.repository.js';
import type { App } from '../../src/app.js';

const t = useTestApp();

/** The figures as a full recount of the tables gives them. */
async function recount(a: App, area?: string) {
  const where = area ? sql`where area_id = ${area}` : sql``;
  const r = await sql<{
    p: string;
    c: string;
  }>`select count(*) filter (where type = 'parent') p, count(*) filter (where type = 'child') c from bags ${where}`.execute(a.ctx.db);
  return { parentBags: Number(r.rows[0]!.p), childBags: Number(r.rows[0]!.c) };
}

const stats = async (c: Client) => {
  const res = await c.get('/api/dashboard/stats');
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('the SPEC §7 shape: areas for admins only; dispatchers get their own area, and no bills', async () => {
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
  await scanChild(indore, 'SB00002', 'C0000001'); // refused: already in SB00001
  assert.equal((await biller.post('/api/bills', { billId: 'BILL-DASH-1', capacity: 2 })).statusCode, 201);
  assert.equal((await biller.post('/api/bills', { billId: 'BILL-DASH-2', capacity: 1 })).statusCode, 201);
  assert.equal((await biller.post('/api/bills/BILL-DASH-2/parents', { code: 'SB00001' })).statusCode, 200);

  const s = await stats(admin);
  assert.deepEqual(Object.keys(s).sort(), ['areas', 'bills', 'childBags', 'parentBags', 'scansToday']);
  assert.deepEqual(
    { ...s, areas: undefined },
    { parentBags: 2, childBags: 3, bills: { new: 1, processing: 1, completed: 0 }, scansToday: 5, areas: undefined },
  );
  assert.deepEqual(Object.keys(s.areas[0]).sort(), ['area', 'childBags', 'parentBags']);
  assert.deepEqual(
    s.areas.find((x: { area: string }) => x.area === 'lucknow'),
    { area: 'lucknow', parentBags: 1, childBags: 3 },
  );
  assert.deepEqual(
    s.areas.find((x: { area: string }) => x.area === 'indore'),
    { area: 'indore', parentBags: 1, childBags: 0 },
  );
  assert.equal(s.areas.length, 10);

  assert.deepEqual(await stats(biller), { parentBags: 2, childBags: 3, bills: { new: 1, processing: 1, completed: 0 }, scansToday: 5 });
  assert.deepEqual(await stats(lucknow), { parentBags: 1, childBags: 3, bills: { new: 0, processing: 0, completed: 0 }, scansToday: 4 });
  assert.deepEqual(
    await stats(indore),
    { parentBags: 1, childBags: 0, bills: { new: 0, processing: 0, completed: 0 }, scansToday: 1 },
    'the refused scan is not counted; its parent names indore',
  );
  assert.equal((await new Client(a).get('/api/dashboard/stats')).statusCode, 401);
});

test('recent scans: newest first, refused ones marked, own area for dispatchers, limit ≤ 100', async () => {
  const a = t.app;
  const [admin, lucknow, indore] = [
    await loginAs(a, 'admin'),
    await loginAs(a, 'dispatcher'),
    await loginAs(a, 'dispatcher', { areaId: 'indore' }),
  ];
  await scanParent(lucknow, 'SB00001');
  await scanChild(lucknow, 'SB00001', 'C0000001');
  await scanParent(indore, 'SB00002');
  await scanParent(indore, 'SB00001'); // wrong_area
  const all = (await admin.get('/api/scans/recent')).json().items;
  assert.deepEqual(
    all.map((e: { subject: string; outcome: string; ok: boolean }) => [e.subject, e.outcome, e.ok]),
    [
      ['SB00001', 'wrong_area', false],
      ['SB00002', 'created', true],
      ['C0000001', 'linked', true],
      ['SB00001', 'created', true],
    ],
  );
  assert.deepEqual(Object.keys(all[0]).sort(), ['action', 'actor', 'area', 'at', 'id', 'ok', 'outcome', 'related', 'station', 'subject']);
  assert.equal(all[2].related, 'SB00001');
  assert.equal(all[2].actor, lucknow.user!.username);
  const mine = (await lucknow.get('/api/scans/recent?limit=10')).json().items;
  assert.deepEqual(
    mine.map((e: { subject: string }) => e.subject),
    ['C0000001', 'SB00001'],
  );
  const theirs = (await indore.get('/api/scans/recent')).json().items;
  assert.ok(theirs.every((e: { area: string }) => e.area === 'indore'));
  assert.equal((await admin.get('/api/scans/recent?limit=1')).json().items.length, 1);
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'x=1'])
    assert.equal(errorCode(await admin.get(`/api/scans/recent?${q}`)), 'validation_failed', q);
  assert.equal((await new Client(a).get('/api/scans/recent')).statusCode, 401);
});

test('"scans today" starts at midnight in DISPLAY_TIMEZONE (Asia/Kolkata: 18:30 UTC)', async () => {
  const a = await t.rebuild({ startAt: '2026-11-25T18:20:00Z' }); // 23:50 in Kolkata
  const d = await loginAs(a, 'dispatcher');
  await scanParent(d, 'SB00001');
  await scanChild(d, 'SB00001', 'C0000001');
  assert.equal((await stats(d)).scansToday, 2);
  t.clock.advanceMinutes(15); // 00:05 the next day there
  await scanChild(d, 'SB00001', 'C0000002');
  assert.equal((await stats(d)).scansToday, 1);
  assert.deepEqual(await dashboardCountersCheck.find(a.ctx.db), []);

  // Another zone: start-up (runtime.ts) rebuilds the days once and "today" follows it.
  await a.close();
  assert.equal(await syncCounterZone(t.database.db, 'UTC'), true);
  assert.equal(await syncCounterZone(t.database.db, 'UTC'), false, 'once');
  await t.rebuild({ config: { displayTimezone: 'UTC' } });
  assert.equal((await stats(await loginAs(t.app, 'admin'))).scansToday, 3, 'all three on 25 Nov UTC');
  assert.deepEqual(await dashboardCountersCheck.find(t.app.ctx.db), []);
  await syncCounterZone(t.database.db, 'Asia/Kolkata'); // as the next tests expect
});

test('after a burst of scans, refusals, undos, moves between areas and deletes, the figures equal a recount', async () => {
  const a = t.app;
  const admin = await loginAs(a, 'admin');
  const biller = await loginAs(a, 'biller');
  const stations = await Promise.all(['lucknow', 'indore', 'jaipur', 'lucknow'].map((area) => loginAs(a, 'dispatcher', { areaId: area })));
  await Promise.all(stations.map((s, i) => scanParent(s, `SB0010${i}`)));
  // Concurrent fills (on PostgreSQL really in parallel), with repeats and refusals mixed in.
  await Promise.all(
    stations.map(async (s, i) => {
      for (let k = 1; k <= 12; k++) {
        await scanChild(s, `SB0010${i}`, childCode(k, `T${i}`));
        if (k % 4 === 0) await scanChild(s, `SB0010${i}`, childCode(k, `T${i}`)); // already_linked
        if (k % 5 === 0) await scanChild(s, `SB0010${(i + 1) % 4}`, childCode(k, `T${i}`)); // other parent / area
      }
    }),
  );
  for (const s of stations.slice(0, 3))
    assert.equal((await s.post('/api/scans/undo', { parentCode: `SB0010${stations.indexOf(s)}` })).statusCode, 200);
  // An unlinked child of lucknow (left by the undo) linked into an indore parent: it changes area.
  assert.equal((await scanChild(biller, 'SB00101', childCode(12, 'T0'))).json().child.area, 'indore');
  // Deletes: a lone legacy bag and an empty parent.
  await insertLegacyBag(a, { code: 'OLD BAG 1', type: 'child', areaId: 'jaipur' });
  await scanParent(biller, 'SB00999', { area: 'hisar' });
  assert.equal((await admin.delete('/api/bags/OLD%20BAG%201')).statusCode, 204);
  assert.equal((await admin.delete('/api/bags/SB00999')).statusCode, 204);
  assert.equal(errorCode(await admin.delete('/api/bags/SB00100')), 'bag_in_use');
  // Bills through their life: new → processing → completed → reopened, and one deleted.
  await biller.post('/api/bills', { billId: 'BILL-BURST-1', capacity: 1 });
  await biller.post('/api/bills', { billId: 'BILL-BURST-2', capacity: 1 });
  await biller.post('/api/bills', { billId: 'BILL-BURST-3', capacity: 1 });
  await biller.post('/api/bills/BILL-BURST-1/parents', { code: 'SB00102' });
  await biller.post('/api/bills/BILL-BURST-1/complete', {});
  await biller.post('/api/bills/BILL-BURST-2/parents', { code: 'SB00103' });
  assert.equal((await admin.delete('/api/bills/BILL-BURST-3')).statusCode, 204);

  assert.deepEqual(await dashboardCountersCheck.find(a.ctx.db), [], 'kept counters = recount');
  const s = await stats(admin);
  assert.deepEqual({ parentBags: s.parentBags, childBags: s.childBags }, await recount(a));
  for (const row of s.areas)
    assert.deepEqual({ parentBags: row.parentBags, childBags: row.childBags }, await recount(a, row.area), row.area);
  assert.deepEqual(s.bills, { new: 0, processing: 1, completed: 1 });
  const counted = await sql<{ n: string }>`select count(*) n from events where action in ('scan.parent', 'scan.child')
    and outcome in ('created', 'resumed', 'linked', 'already_linked')`.execute(a.ctx.db);
  assert.equal(s.scansToday, Number(counted.rows[0]!.n));
});

test('`tracetrack check` names a drifted counter and --fix rebuilds the counters from a recount', async () => {
  const a = t.app;
  const d = await loginAs(a, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  await (await loginAs(a, 'biller')).post('/api/bills', { billId: 'BILL-CHECK-1', capacity: 1 });
  // One slot row of each table drifts (on PostgreSQL the counts are spread over several slots).
  const one = (table: string, where = sql`true`) => sql`(select ctid from ${sql.table(table)} where ${where} limit 1)`;
  await sql`update stat_bag_counters set child_bags = child_bags + 5 where ctid = ${one('stat_bag_counters', sql`area_id = 'lucknow'`)}`.execute(
    a.ctx.db,
  );
  await sql`update stat_scan_days set scans = scans - 1 where ctid = ${one('stat_scan_days', sql`scans > 0`)}`.execute(a.ctx.db);
  await sql`update stat_bill_counters set completed_bills = completed_bills + 2 where ctid = ${one('stat_bill_counters')}`.execute(
    a.ctx.db,
  );
  const found = await dashboardCountersCheck.find(a.ctx.db);
  assert.deepEqual(
    found.map((x) => `${x.subject} ${x.field} ${x.stored}/${x.recounted}`),
    [
      'area lucknow childBags 7/2',
      `scans ${new Date(Date.now() + 5.5 * 3_600_000).toISOString().slice(0, 10)} lucknow scans 2/3`,
      'bills completed count 2/0',
    ],
  );
  const [result] = await runChecks(a.ctx, { fix: true, checks: [dashboardCountersCheck] });
  assert.equal(result!.fixed, true);
  assert.deepEqual(await dashboardCountersCheck.find(a.ctx.db), []);
  assert.deepEqual(await stats(await loginAs(a, 'admin')).then((s) => [s.childBags, s.scansToday, s.bills.new]), [2, 3, 1]);
  await scanChild(d, 'SB00001', 'C0000009'); // counting goes on after a rebuild
  assert.deepEqual(await dashboardCountersCheck.find(a.ctx.db), []);
});
