/**
 * One btree on bags.code (migrations/0017_one_code_index.sql): unique, text_pattern_ops, and
 * serving the exact look-up, the prefix search and the scan's `on conflict (code)` alike — every
 * new bag writes one code index entry, not two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

/** The plan of `query` with sequential scans off (a test table is small enough to be read whole). */
async function planOf(query: string): Promise<string> {
  return t.app.ctx.db.transaction().execute(async (tx) => {
    await sql`set local enable_seqscan = off`.execute(tx);
    const rows = await sql<Record<string, string>>`explain ${sql.raw(query)}`.execute(tx);
    return rows.rows.map((r) => Object.values(r)[0]).join('\n');
  });
}

test('bags.code has one btree: unique, in text_pattern_ops', async () => {
  const { rows } = await sql<{ name: string; unique: boolean; opclass: string }>`
    select i.relname as name, x.indisunique as unique, o.opcname as opclass
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_am am on am.oid = i.relam
    join pg_opclass o on o.oid = x.indclass[0]
    join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
    where x.indrelid = 'bags'::regclass and a.attname = 'code' and am.amname = 'btree'`.execute(t.app.ctx.db);
  assert.deepEqual(rows, [{ name: 'bags_code_key', unique: true, opclass: 'text_pattern_ops' }]);
});

test('the one index serves exact look-ups and prefix search', async () => {
  const exact = await planOf(`select id from bags where code = 'SB31001'`);
  assert.match(exact, /bags_code_key/);
  const prefix = await planOf(`select id from bags where code like 'SB31%'`);
  assert.match(prefix, /bags_code_key/);
});

test('a code is still taken once: the scan finds the existing parent, a second insert is refused', async () => {
  const u = await makeUser(t.app, { role: 'biller' });
  const actor = { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
  const first = await scanParent(t.app.ctx, actor, { code: 'SB31002', area: 'indore' });
  const again = await scanParent(t.app.ctx, actor, { code: 'SB31002', area: 'indore' });
  assert.equal(first.outcome, 'created');
  assert.equal(again.outcome, 'resumed');
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from bags where code = 'SB31002'`.execute(t.app.ctx.db);
  assert.equal(rows[0]!.n, 1);
  await assert.rejects(
    sql`insert into bags (code, type, kind_id, area_id, status, capacity, child_count)
        values ('SB31002', 'parent', 'SB', 'indore', 'pending', 30, 0)`.execute(t.app.ctx.db),
    (e: { code?: string }) => e.code === '23505',
  );
});
