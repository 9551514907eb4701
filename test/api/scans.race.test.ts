/**
 * Concurrency of the scan path, on real PostgreSQL only: PGlite runs one statement at a time,
 * so races cannot happen there and these tests would prove nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { waitFor } from '../helpers/wait.js';
import { usingPostgres } from '../helpers/database.js';
import { loginAs, type Client } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, events, fill, scanChild, scanParent } from '../helpers/scans.js';
import { makeUser } from '../helpers/factories.js';
import type { Actor } from '../../src/domain/actor.js';
import { scanChildLocked, type ChildScanResult } from '../../src/domain/scans/child-scan.service.js';
import { scanParent as scanParentAs } from '../../src/domain/scans/parent-scan.service.js';

const skip = !usingPostgres && 'PGlite serialises everything';
const t = useTestApp();

const stations = (n: number) => Promise.all(Array.from({ length: n }, () => loginAs(t.app, 'dispatcher')));

/** The parent's counter and status next to a recount of its children. */
async function parentState(code: string) {
  const r = await sql<{ child_count: number; status: string; recount: string; children: string }>`
    select p.child_count, p.status,
           (select count(*) from bags c where c.parent_id = p.id) as recount,
           (select count(*) from bags c where c.type = 'child') as children
    from bags p where p.code = ${code}`.execute(t.app.ctx.db);
  const row = r.rows[0]!;
  return { childCount: row.child_count, status: row.status, recount: Number(row.recount), children: Number(row.children) };
}

test('60 different children at once into one SB parent: exactly 30 linked, 30 refused, counts agree', { skip }, async () => {
  const clients = await stations(6);
  await scanParent(clients[0]!, 'SB00001');
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => scanChild(clients[i % clients.length]!, 'SB00001', childCode(i + 1))),
  );
  const linked = results.filter((r) => r.statusCode === 200);
  const refused = results.filter((r) => r.statusCode === 409);
  assert.equal(linked.length, 30);
  assert.equal(refused.length, 30);
  for (const r of refused) assert.ok(['parent_full', 'parent_completed'].includes(r.json().error.code), r.body);
  assert.deepEqual(
    linked.map((r) => r.json().parent.childCount).sort((a, b) => a - b),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  assert.deepEqual(await parentState('SB00001'), { childCount: 30, status: 'completed', recount: 30, children: 30 });
  assert.equal((await events(t.app)).filter((e) => e.action === 'scan.child').length, 60, 'one history row per attempt');
});

test('one child fired at two parents at once, 20 times: exactly one link each time', { skip }, async () => {
  const [a, b] = (await stations(2)) as [Client, Client];
  for (let i = 1; i <= 20; i++) {
    const [p, q] = [`SB${String(i).padStart(5, '0')}`, `SB${String(100 + i).padStart(5, '0')}`];
    await scanParent(a, p);
    await scanParent(b, q);
    const child = childCode(i);
    if (i % 2 === 0) {
      // An existing unlinked child (linked, then undone) takes the conditional-UPDATE path.
      await scanParent(a, 'SB09999');
      await scanChild(a, 'SB09999', child);
      await a.post('/api/scans/undo', { parentCode: 'SB09999' });
    }
    const [ra, rb] = await Promise.all([scanChild(a, p, child), scanChild(b, q, child)]);
    const ok = [ra, rb].filter((r) => r.statusCode === 200);
    assert.equal(ok.length, 1, `round ${i}: ${ra.body} | ${rb.body}`);
    const loser = ra.statusCode === 200 ? rb : ra;
    const winnerParent = ra.statusCode === 200 ? p : q;
    assert.equal(loser.statusCode, 409);
    assert.equal(loser.json().error.code, 'already_linked_other_parent');
    assert.equal(loser.json().error.parentCode, winnerParent);
    const counts = [await parentState(p), await parentState(q)];
    assert.equal(counts[0]!.childCount + counts[1]!.childCount, 1);
    for (const c of counts) assert.equal(c.childCount, c.recount);
  }
});

test('one scanId sent 6 times at once: one link, one history row, six identical answers', { skip }, async () => {
  const [d] = (await stations(1)) as [Client];
  await scanParent(d, 'SB00001');
  const scanId = '3f1c2b9e-5d7a-4e0f-8a61-2b4c6d8e0a11';
  const results = await Promise.all(Array.from({ length: 6 }, () => scanChild(d, 'SB00001', 'C0000001', { scanId })));
  for (const r of results) {
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, results[0]!.body);
  }
  assert.equal(results[0]!.json().outcome, 'linked');
  const rows = (await events(t.app)).filter((e) => e.action === 'scan.child');
  assert.deepEqual(
    rows.map((e) => e.outcome),
    ['linked'],
  );
  assert.deepEqual(await parentState('SB00001'), { childCount: 1, status: 'pending', recount: 1, children: 1 });
});

test('the locked attempt: one scanId 6 times at once gives one link, one history row, six equal answers', { skip }, async () => {
  const actor = await billerActor();
  await scanParentAs(t.app.ctx, actor, { code: 'SB00002' });
  const scanId = '6a2d4f8b-1c3e-4a5b-9d7f-0e2c4a6b8d10';
  const input = { parentCode: 'SB00002', code: 'C0000002', scanId };
  const results = await Promise.all(Array.from({ length: 6 }, () => scanChildLocked(t.app.ctx, actor, input)));
  for (const r of results) assert.deepEqual(JSON.parse(JSON.stringify(r)), JSON.parse(JSON.stringify(results[0])));
  assert.equal(results[0]!.outcome, 'linked');
  const rows = (await events(t.app)).filter((e) => e.action === 'scan.child');
  assert.deepEqual(
    rows.map((e) => e.outcome),
    ['linked'],
  );
  assert.deepEqual(await parentState('SB00002'), { childCount: 1, status: 'pending', recount: 1, children: 1 });
});

test('links and undos racing on one parent never lose a count', { skip }, async () => {
  const clients = await stations(4);
  const biller = await loginAs(t.app, 'biller');
  await scanParent(clients[0]!, 'M444-00001');
  await fill(clients[0]!, 'M444-00001', 5, 'U');
  const work = [
    ...Array.from({ length: 20 }, (_, i) => scanChild(clients[i % 4]!, 'M444-00001', childCode(i + 1))),
    ...Array.from({ length: 8 }, () => biller.post('/api/scans/undo', { parentCode: 'M444-00001' })),
  ];
  const results = await Promise.all(work);
  for (const r of results) assert.ok(r.statusCode === 200 || r.statusCode === 409, `${r.statusCode} ${r.body}`);
  const state = await parentState('M444-00001');
  assert.equal(state.childCount, state.recount);
  assert.ok(state.childCount <= 15);
  assert.equal(state.status === 'completed', state.childCount === 15);
});

async function billerActor(): Promise<Actor> {
  const u = await makeUser(t.app, { role: 'biller' });
  return { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
}

/** Holds the parent's row lock (SB00077's unless named) in a transaction that unlinks child 7, while `during` runs. */
async function undoHoldingTheParent(during: () => Promise<void>, parent = 'SB00077') {
  await t.app.ctx.db.transaction().execute(async (tx) => {
    await sql`select id from bags where code = ${parent} for update`.execute(tx);
    await during();
    await sql`update bags set parent_id = null, status = 'unlinked', linked_by = null, linked_at = null where code = ${childCode(7)}`.execute(
      tx,
    );
    await sql`update bags set child_count = child_count - 1 where code = ${parent}`.execute(tx);
  });
}
const lockWaits = async () =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
      t.app.ctx.db,
    )
  ).rows[0]!.n;

test('the locked attempt: a rescan waiting behind an undo of the same child links it again, not "already linked"', { skip }, async () => {
  const actor = await billerActor();
  await scanParentAs(t.app.ctx, actor, { code: 'SB00077' });
  await scanChildLocked(t.app.ctx, actor, { parentCode: 'SB00077', code: childCode(7) });
  // Another station's undo holds the parent lock; the rescan starts while it does (its child
  // read then sees the child still linked) and goes on once the undo commits.
  let rescan: Promise<ChildScanResult> | undefined;
  await undoHoldingTheParent(async () => {
    rescan = scanChildLocked(t.app.ctx, actor, { parentCode: 'SB00077', code: childCode(7) });
    await waitFor(async () => (await lockWaits()) > 0, 'the rescan to wait on the parent lock');
  });
  const res = await rescan!;
  assert.equal(res.outcome, 'linked', 'the child read before the wait is confirmed under the lock');
  const state = await parentState('SB00077');
  assert.equal(state.childCount, 1);
  assert.equal(state.recount, 1);
});

test('the unlocked scan: a rescan during an undo is answered from its snapshot, without waiting; the undo then stands', {
  skip,
}, async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00077');
  // Linked by another station's process: this one does not remember the parent, so the rescan reads.
  await scanChildLocked(t.app.ctx, await billerActor(), { parentCode: 'SB00077', code: childCode(7) });
  await undoHoldingTheParent(async () => {
    // The undo has not committed: the child is still in the parent, and the rescan says so.
    const res = await scanChild(d, 'SB00077', childCode(7));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().outcome, 'already_linked');
    assert.equal(await lockWaits(), 0, 'nothing waited on the parent lock');
  });
  const undone = await parentState('SB00077');
  assert.deepEqual([undone.childCount, undone.status, undone.recount], [0, 'pending', 0], 'the undo committed as it was');
  const again = await scanChild(d, 'SB00077', childCode(7));
  assert.equal(again.json().outcome, 'linked', again.body);
  const state = await parentState('SB00077');
  assert.equal(state.childCount, 1);
  assert.equal(state.recount, 1);
});

test('the unlocked scan on a parent this process remembers: a rescan during an undo waits for it and links the child again', {
  skip,
}, async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00078');
  await scanChild(d, 'SB00078', childCode(7)); // remembered as this link left it (docs/decisions/0032)
  let rescan: ReturnType<typeof scanChild> | undefined;
  await undoHoldingTheParent(async () => {
    // Decided on the remembered parent and a new child, the link waits on the parent's lock.
    rescan = scanChild(d, 'SB00078', childCode(7));
    await waitFor(async () => (await lockWaits()) > 0, 'the rescan to wait on the parent lock');
  }, 'SB00078');
  const res = await rescan!;
  assert.equal(res.json().outcome, 'linked', res.body);
  const state = await parentState('SB00078');
  assert.deepEqual([state.childCount, state.recount], [1, 1], 'the undo stood, then the rescan linked the child again');
});

test('12 stations at once, 5 scans each, every one also resent: written in shared calls, each counted once', { skip }, async () => {
  const clients = await stations(12);
  for (const [s, c] of clients.entries()) await scanParent(c, `SB${String(900 + s).padStart(5, '0')}`);
  // Through the performance page: under TEST_DIST the app is the compiled one, not src/.
  const admin = await loginAs(t.app, 'admin');
  const scanCalls = async () =>
    (await admin.get('/api/stats/performance')).json().scanCalls as Record<string, { calls: number; items: number }>;
  const before = await scanCalls();
  const sends = clients.flatMap((c, s) =>
    Array.from({ length: 5 }, (_, i) => {
      const extra = { scanId: randomUUID() };
      const scan = () => scanChild(c, `SB${String(900 + s).padStart(5, '0')}`, childCode(s * 10 + i + 1, 'D'), extra);
      return [scan(), scan()]; // the resend races the first send
    }),
  );
  const answers = await Promise.all(sends.map((pair) => Promise.all(pair)));
  for (const [first, again] of answers) {
    assert.equal(first!.statusCode, 200, first!.body);
    assert.deepEqual(again!.json(), first!.json(), 'one answer per scanId');
  }
  for (let s = 0; s < 12; s++) {
    const state = await parentState(`SB${String(900 + s).padStart(5, '0')}`);
    assert.deepEqual([state.childCount, state.recount], [5, 5]);
  }
  assert.equal((await events(t.app)).filter((e) => e.action === 'scan.child').length, 60, 'one history row per scanId');
  const after = await scanCalls();
  for (const call of ['reads', 'links']) {
    const [calls, items] = [after[call]!.calls - before[call]!.calls, after[call]!.items - before[call]!.items];
    assert.ok(items >= 60, `every scan's ${call} went through the batches`);
    assert.ok(calls < items, `some ${call} calls carried several scans`);
  }
});
