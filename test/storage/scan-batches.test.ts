/**
 * Scan reads and child links that wait for a free slot go together in one call
 * (storage/batches.ts, migrations/0018_child_link_batches.sql): each read answers its own parent
 * and child; each link is written, or refused, exactly as it would be alone — a changed row or a
 * taken scanId rolls back only its own link, and an error reaches only the link it belongs to.
 * The links of a call are written by one statement (migrations/0021_child_links_together.sql),
 * so the parents they count share one row version; when a code or a scanId of the call is taken
 * meanwhile (by another writer, or by another link of the same call), the server sends the links
 * again one at a time (docs/decisions/0038).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../../src/domain/actor.js';
import { sourceOf } from '../../src/domain/audit/event.js';
import { scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { batchScanCalls, scanCallStats, linkChildIfUnchanged, readParentAndChild } from '../../src/storage/scans.repository.js';
import type { AttemptRecord } from '../../src/storage/scan-requests.repository.js';
import { makeUser } from '../helpers/factories.js';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { waitFor } from '../helpers/wait.js';

const t = useTestApp();

async function actorWithParents(...parents: string[]) {
  const u = await makeUser(t.app, { role: 'biller' });
  const actor: Actor = { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
  for (const code of parents) await scanParent(t.app.ctx, actor, { code, area: 'indore' });
  // One slot: the first link takes it, and every link made meanwhile waits for the next call.
  batchScanCalls(t.app.ctx.db, 1);
  const record = (subject: string, parent: string, scanId = randomUUID()): AttemptRecord => ({
    source: sourceOf(actor),
    event: { action: 'scan.child', outcome: 'linked', subject, related: parent, areaId: 'indore', details: { childCount: 1 } },
    at: new Date(),
    claim: { userId: actor.userId, scanId, endpoint: 'scan.child', outcome: 'linked', response: { ok: 1 } },
  });
  return { record };
}

/** Reads the parent, then returns the link to send: a new child `child` into it. */
async function newChildLink(parent: string, child: string, record: AttemptRecord, kindId = 'CHILD') {
  const { parent: p } = await readParentAndChild(t.app.ctx.db, parent, child);
  return () => linkChildIfUnchanged(t.app.ctx.db, { parent: p!, child: { code: child, kindId } }, record);
}

const state = async (parents: string[], children: string[]) =>
  (
    await sql<{ counts: number[]; children: number; history: number; claims: number }>`
      select array(select child_count from bags where code = any(${parents}) order by code) as counts,
             (select count(*)::int from bags where code = any(${children})) as children,
             (select count(*)::int from events where subject = any(${children})) as history,
             (select count(*)::int from scan_requests) as claims`.execute(t.app.ctx.db)
  ).rows[0]!;

test('links made while the slot is busy go in one call, each counted once with its claim and history row', async () => {
  const parents = ['SB31001', 'SB31002', 'SB31003', 'SB31004', 'SB31005'];
  const children = parents.map((p) => `C${p.slice(2)}1`);
  const { record } = await actorWithParents(...parents);
  const links = await Promise.all(parents.map((p, i) => newChildLink(p, children[i]!, record(children[i]!, p))));
  const claimsBefore = (await state(parents, children)).claims;
  const before = scanCallStats(t.app.ctx.db).links;
  const results = await Promise.all(links.map((link) => link()));
  assert.deepEqual(results, ['done', 'done', 'done', 'done', 'done']);
  const after = scanCallStats(t.app.ctx.db).links;
  assert.deepEqual(
    { calls: after.calls - before.calls, items: after.items - before.items },
    { calls: 2, items: 5 },
    'one alone, then four together',
  );
  assert.deepEqual(await state(parents, children), { counts: [1, 1, 1, 1, 1], children: 5, history: 5, claims: claimsBefore + 5 });
});

test('in one call, a changed parent, a child created meanwhile and a taken scanId are rolled back alone; the rest stand', async () => {
  const parents = ['SB32001', 'SB32002', 'SB32003', 'SB32004', 'SB32005'];
  const { record } = await actorWithParents(...parents);
  const taken = randomUUID();
  await (await newChildLink('SB32005', 'C3200050', record('C3200050', 'SB32005', taken)))(); // claims `taken`
  const first = await newChildLink('SB32001', 'C3200010', record('C3200010', 'SB32001'));
  const ok = await newChildLink('SB32002', 'C3200020', record('C3200020', 'SB32002'));
  const staleParent = await newChildLink('SB32003', 'C3200030', record('C3200030', 'SB32003'));
  await sql`update bags set updated_at = now() where code = 'SB32003'`.execute(t.app.ctx.db);
  const childMeanwhile = await newChildLink('SB32004', 'C3200040', record('C3200040', 'SB32004'));
  await sql`insert into bags (code, type, kind_id, area_id, status) values ('C3200040', 'child', 'CHILD', 'indore', 'unlinked')`.execute(
    t.app.ctx.db,
  );
  const reused = await newChildLink('SB32005', 'C3200051', record('C3200051', 'SB32005', taken));
  const claimsBefore = (await state([], [])).claims;
  const before = scanCallStats(t.app.ctx.db).links;
  // Sent in the opposite order of their parents' ids: the call sorts them, the answers must not move.
  const results = await Promise.all([first(), reused(), childMeanwhile(), staleParent(), ok()]);
  assert.deepEqual(results, ['done', 'taken', 'changed', 'changed', 'done']);
  assert.equal(scanCallStats(t.app.ctx.db).links.calls - before.calls, 2);
  assert.deepEqual(await state(['SB32001', 'SB32002', 'SB32003', 'SB32004', 'SB32005'], ['C3200010', 'C3200020', 'C3200030', 'C3200051']), {
    counts: [1, 1, 0, 0, 1],
    children: 2, // C3200030 and C3200051 were not created
    history: 2,
    claims: claimsBefore + 2,
  });
  assert.equal((await state([], ['C3200040'])).history, 0, 'the child made meanwhile has no scan of its own');
});

test('two links into one parent in one call: the first is written, the second read it and is "changed"', async () => {
  const { record } = await actorWithParents('SB33001', 'SB33002');
  const busy = await newChildLink('SB33002', 'C3300020', record('C3300020', 'SB33002'));
  const a = await newChildLink('SB33001', 'C3300010', record('C3300010', 'SB33001'));
  const b = await newChildLink('SB33001', 'C3300011', record('C3300011', 'SB33001'));
  const claimsBefore = (await state([], [])).claims;
  assert.deepEqual(await Promise.all([busy(), a(), b()]), ['done', 'done', 'changed']);
  assert.deepEqual(await state(['SB33001'], ['C3300010', 'C3300011']), { counts: [1], children: 1, history: 1, claims: claimsBefore + 2 });
});

const versions = async (parents: string[]) =>
  (
    await sql<{ version: string }>`select xmin::text as version from bags where code = any(${parents}) order by code`.execute(t.app.ctx.db)
  ).rows.map((r) => r.version);

test('the links of one call are written by one statement: their parents share one row version', async () => {
  const parents = ['SB36001', 'SB36002', 'SB36003', 'SB36004'];
  const { record } = await actorWithParents(...parents);
  const links = await Promise.all(parents.map((p, i) => newChildLink(p, `C36000${i + 1}0`, record(`C36000${i + 1}0`, p))));
  assert.deepEqual(await Promise.all(links.map((link) => link())), ['done', 'done', 'done', 'done']);
  const [alone, ...together] = await versions(parents);
  assert.equal(new Set(together).size, 1, 'the three links of the second call');
  assert.notEqual(alone, together[0], 'the first call was another transaction');
});

test('a second link of the same code or the same scanId in one call is refused alone, as it would be after the first', async () => {
  const parents = ['SB36101', 'SB36102', 'SB36103', 'SB36104', 'SB36105', 'SB36106'];
  const { record } = await actorWithParents(...parents);
  const scanId = randomUUID();
  const busy = await newChildLink('SB36101', 'C3610010', record('C3610010', 'SB36101'));
  const a = await newChildLink('SB36102', 'C3610020', record('C3610020', 'SB36102'));
  const sameCode = await newChildLink('SB36103', 'C3610020', record('C3610020', 'SB36103'));
  const b = await newChildLink('SB36104', 'C3610040', record('C3610040', 'SB36104', scanId));
  const sameScanId = await newChildLink('SB36105', 'C3610050', record('C3610050', 'SB36105', scanId));
  const c = await newChildLink('SB36106', 'C3610060', record('C3610060', 'SB36106'));
  const claimsBefore = (await state([], [])).claims;
  const before = scanCallStats(t.app.ctx.db).links;
  assert.deepEqual(await Promise.all([busy(), a(), sameCode(), b(), sameScanId(), c()]), [
    'done',
    'done',
    'changed',
    'done',
    'taken',
    'done',
  ]);
  assert.equal(scanCallStats(t.app.ctx.db).links.calls - before.calls, 2, 'one alone, then five together');
  assert.deepEqual(await state(parents, ['C3610010', 'C3610020', 'C3610040', 'C3610050', 'C3610060']), {
    counts: [1, 1, 0, 1, 0, 1],
    children: 4,
    history: 4,
    claims: claimsBefore + 4,
  });
});

test('a code created by another writer while the call runs: the links go one at a time', {
  skip: !usingPostgres && 'one connection: no other writer',
}, async () => {
  const parents = ['SB37001', 'SB37002', 'SB37003', 'SB37004'];
  const { record } = await actorWithParents(...parents);
  const busy = await newChildLink('SB37001', 'C3700010', record('C3700010', 'SB37001'));
  const a = await newChildLink('SB37002', 'C3700020', record('C3700020', 'SB37002'));
  const raced = await newChildLink('SB37003', 'C3700030', record('C3700030', 'SB37003'));
  const b = await newChildLink('SB37004', 'C3700040', record('C3700040', 'SB37004'));
  const claimsBefore = (await state([], [])).claims;
  const other = new pg.Client({ connectionString: t.database.url });
  await other.connect();
  try {
    await other.query('begin');
    // In another area than the links': bag counters are rows per area and backend slot, and in
    // theirs this transaction could hold one a link needs. Only the code is to be shared.
    await other.query(
      `insert into bags (code, type, kind_id, area_id, status) values ('C3700030', 'child', 'CHILD', 'jaipur', 'unlinked')`,
    );
    const links = Promise.all([busy(), a(), raced(), b()]);
    // The second call's insert of the uncommitted code waits for `other`, then finds it taken.
    await waitFor(
      async () => (await other.query('select 1 from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))')).rowCount === 1,
      'the call to wait on the uncommitted code',
    );
    await other.query('commit');
    assert.deepEqual(await links, ['done', 'done', 'changed', 'done']);
  } finally {
    await other.end();
  }
  assert.deepEqual(await state(parents, ['C3700020', 'C3700030', 'C3700040']), {
    counts: [1, 1, 0, 1],
    children: 3,
    history: 2,
    claims: claimsBefore + 3,
  });
  const [, x, y] = await versions(['SB37001', 'SB37002', 'SB37004']);
  assert.notEqual(x, y, 'written one at a time, each in its own transaction');
});

test('an error of one link in a call reaches that link only; the others are written', async () => {
  const parents = ['SB34001', 'SB34002', 'SB34003', 'SB34004'];
  const { record } = await actorWithParents(...parents);
  const busy = await newChildLink('SB34001', 'C3400010', record('C3400010', 'SB34001'));
  const ok = await newChildLink('SB34002', 'C3400020', record('C3400020', 'SB34002'));
  const noKind = await newChildLink('SB34003', 'C3400030', record('C3400030', 'SB34003'), 'NO_SUCH_KIND'); // a foreign-key error
  const ok2 = await newChildLink('SB34004', 'C3400040', record('C3400040', 'SB34004'));
  const claimsBefore = (await state([], [])).claims;
  const results = await Promise.allSettled([busy(), ok(), noKind(), ok2()]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code?: string }).code)),
    ['done', 'done', '23503', 'done'],
  );
  assert.deepEqual(await state(parents, ['C3400010', 'C3400020', 'C3400030', 'C3400040']), {
    counts: [1, 1, 0, 1],
    children: 3,
    history: 3,
    claims: claimsBefore + 3,
  });
});

test('reads made while one runs go in one statement, each answered with its own parent and child', async () => {
  await actorWithParents('SB35001', 'SB35002', 'SB35003');
  await sql`insert into bags (code, type, kind_id, area_id, status) values ('C3500020', 'child', 'CHILD', 'indore', 'unlinked')`.execute(
    t.app.ctx.db,
  );
  const before = scanCallStats(t.app.ctx.db).reads;
  const read = (parent: string | null, child: string | null) => readParentAndChild(t.app.ctx.db, parent, child);
  const [busy, ...answers] = await Promise.all([
    read('SB35001', null),
    read('SB35002', 'C3500020'), // parent and an existing child
    read('SB35003', 'C3599999'), // a new code: no child
    read(null, 'C3500020'), // a child alone
    read('SB39999', 'SB35001'), // an unknown parent; a parent's code where the child goes
    read('SB35002', 'C3500020'), // the same pair twice in one call
  ]);
  assert.equal(busy!.parent!.code, 'SB35001');
  assert.equal(busy!.child, undefined);
  const shape = (a: Awaited<ReturnType<typeof read>>) => [a.parent?.code ?? null, a.child?.code ?? null];
  assert.deepEqual(answers.map(shape), [
    ['SB35002', 'C3500020'],
    ['SB35003', null],
    [null, 'C3500020'],
    [null, 'SB35001'],
    ['SB35002', 'C3500020'],
  ]);
  assert.equal(answers[0]!.child!.status, 'unlinked');
  assert.match(answers[0]!.parent!.version, /^\d+$/, 'with its row version');
  const after = scanCallStats(t.app.ctx.db).reads;
  assert.deepEqual(
    { calls: after.calls - before.calls, items: after.items - before.items },
    { calls: 2, items: 6 },
    'one alone, then five together',
  );
});
