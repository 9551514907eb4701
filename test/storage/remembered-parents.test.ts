/**
 * A child scan into the parent this process last linked into skips its read (issue 14,
 * storage/known-parents.ts, docs/decisions/0032): the rules run on the parent as that link left
 * it, and the write holds the guess to the parent's row version and a free child code. These
 * tests show the guess taken, and every way it can be wrong ending in the answer a read would
 * give: another writer's change, a double scan, a refusal the remembered parent would make.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Actor } from '../../src/domain/actor.js';
import { scanChild, scanChildLocked } from '../../src/domain/scans/child-scan.service.js';
import { scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { undoLink } from '../../src/domain/scans/undo.service.js';
import { batchScanCalls, rememberedParent, rememberedParentStats, scanCallStats } from '../../src/storage/scans.repository.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

async function biller(...parents: string[]): Promise<Actor> {
  const u = await makeUser(t.app, { role: 'biller' });
  const actor: Actor = { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
  for (const code of parents) await scanParent(t.app.ctx, actor, { code, area: 'indore' });
  return actor;
}
const scan = (actor: Actor, parentCode: string, code: string) => scanChild(t.app.ctx, actor, { parentCode, code });
/** What a read of the parent would see: its count, its children and its row version. */
const parentRow = async (code: string) =>
  (
    await sql<{ child_count: number; children: number; version: string }>`
      select child_count, (select count(*)::int from bags c where c.parent_id = p.id) as children, p.xmin::text as version
      from bags p where p.code = ${code}`.execute(t.app.ctx.db)
  ).rows[0]!;
const stats = () => ({ ...rememberedParentStats(t.app.ctx.db), reads: scanCallStats(t.app.ctx.db).reads.items });
const since = (before: ReturnType<typeof stats>) => {
  const now = stats();
  return { used: now.used - before.used, missed: now.missed - before.missed, reads: now.reads - before.reads };
};

test('scans after the first into a parent skip their read, and the parent is remembered at its true row version', async () => {
  const actor = await biller('SB32001');
  const before = stats();
  for (const code of ['C3200101', 'C3200102', 'C3200103']) assert.equal((await scan(actor, 'SB32001', code)).outcome, 'linked');
  assert.deepEqual(since(before), { used: 2, missed: 0, reads: 1 });
  const row = await parentRow('SB32001');
  assert.deepEqual({ count: row.child_count, children: row.children }, { count: 3, children: 3 });
  const remembered = rememberedParent(t.app.ctx.db, 'SB32001')!;
  assert.deepEqual({ count: remembered.childCount, version: remembered.version }, { count: 3, version: row.version });
});

test('links sent together in one call each remember their parent at the version the call left', async () => {
  const parents = ['SB32011', 'SB32012', 'SB32013', 'SB32014'];
  const actor = await biller(...parents);
  batchScanCalls(t.app.ctx.db, 1); // one slot: links made while one runs go together
  for (const p of parents) await scan(actor, p, `C${p.slice(2)}0`);
  const links = scanCallStats(t.app.ctx.db).links;
  const before = stats();
  for (const round of [1, 2]) {
    const answers = await Promise.all(parents.map((p) => scan(actor, p, `C${p.slice(2)}${round}`)));
    assert.deepEqual(
      answers.map((a) => a.parent.childCount),
      [round + 1, round + 1, round + 1, round + 1],
    );
  }
  assert.ok(scanCallStats(t.app.ctx.db).links.calls - links.calls < 8, 'some links went together');
  assert.deepEqual(since(before), { used: 8, missed: 0, reads: 0 });
  for (const p of parents) assert.equal(rememberedParent(t.app.ctx.db, p)!.version, (await parentRow(p)).version);
});

test('a parent changed by another writer: the guess writes nothing, the scan reads and counts right, and the parent is read for a while', async () => {
  const actor = await biller('SB32021');
  await scan(actor, 'SB32021', 'C3202101');
  // Another process (the locked path leaves this process's memory as it was) links a child.
  await scanChildLocked(t.app.ctx, actor, { parentCode: 'SB32021', code: 'C3202102' });
  const before = stats();
  const answer = await scan(actor, 'SB32021', 'C3202103');
  assert.deepEqual({ outcome: answer.outcome, count: answer.parent.childCount }, { outcome: 'linked', count: 3 });
  assert.deepEqual(since(before), { used: 1, missed: 1, reads: 1 });
  await scan(actor, 'SB32021', 'C3202104');
  assert.deepEqual(since(before), { used: 1, missed: 1, reads: 2 }, 'not guessed on again at once');
  const row = await parentRow('SB32021');
  assert.deepEqual({ count: row.child_count, children: row.children }, { count: 4, children: 4 });
  const { n } = (
    await sql<{ n: number }>`select count(*)::int as n from events where related = 'SB32021' and action = 'scan.child'`.execute(
      t.app.ctx.db,
    )
  ).rows[0]!;
  assert.equal(n, 4, 'one history row per scan: the missed guess left none');
});

test('a double scan misses on the child code only: already linked, counted once, and the parent is guessed on again after a read', async () => {
  const actor = await biller('SB32031');
  await scan(actor, 'SB32031', 'C3203101');
  await scan(actor, 'SB32031', 'C3203102');
  const before = stats();
  const again = await scan(actor, 'SB32031', 'C3203102');
  assert.deepEqual({ outcome: again.outcome, count: again.parent.childCount }, { outcome: 'already_linked', count: 2 });
  assert.deepEqual(since(before), { used: 1, missed: 1, reads: 1 });
  await scan(actor, 'SB32031', 'C3203103'); // read: the miss forgot the parent
  await scan(actor, 'SB32031', 'C3203104'); // guessed: a code miss does not hold guesses back
  assert.deepEqual(since(before), { used: 2, missed: 1, reads: 2 });
  assert.equal((await parentRow('SB32031')).child_count, 4);
});

test('a refusal is never made on a remembered parent: a full parent emptied by an undo takes the next child', async () => {
  const actor = await biller('M444-32041');
  for (let i = 1; i <= 15; i++) await scan(actor, 'M444-32041', `C32041${String(i).padStart(2, '0')}`);
  assert.equal(rememberedParent(t.app.ctx.db, 'M444-32041')!.status, 'completed');
  await undoLink(t.app.ctx, actor, { parentCode: 'M444-32041' }); // elsewhere: this process still remembers it full
  const answer = await scan(actor, 'M444-32041', 'C3204199');
  assert.deepEqual({ outcome: answer.outcome, count: answer.parent.childCount }, { outcome: 'linked', count: 15 });
});
