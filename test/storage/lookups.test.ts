/**
 * The look-up pool (storage/database.ts, `Database.lookups`): on PostgreSQL its sessions cancel a
 * statement after LOOKUP_TIMEOUT_MS and plan no sequential scan, and a contains search cancelled
 * by that timer finds nothing instead of failing the search. The main pool is not bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { LOOKUP_TIMEOUT_MS } from '../../src/storage/database.js';
import { billsContaining } from '../../src/storage/search.repository.js';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();
const onlyPostgres = { skip: !usingPostgres && 'PGlite has no statement timer: its look-ups are the main database' };

test('look-up sessions carry the timer and no sequential scans; the main pool has neither', onlyPostgres, async () => {
  const { database } = t;
  const settings = async (db: typeof database.db) =>
    (await sql<{ t: string; s: string }>`select current_setting('statement_timeout') t, current_setting('enable_seqscan') s`.execute(db))
      .rows[0];
  assert.deepEqual(await settings(database.lookups), { t: `${LOOKUP_TIMEOUT_MS}ms`, s: 'off' });
  assert.deepEqual(await settings(database.db), { t: '0', s: 'on' });
  await assert.rejects(sql`select pg_sleep(0.2)`.execute(database.lookups), { code: '57014' });
  await sql`select pg_sleep(0.05)`.execute(database.db);
});

test('a contains search the timer cancels finds nothing; the same search finds the bill once it can run', onlyPostgres, async () => {
  const { database } = t;
  await sql`insert into bills (bill_id, capacity, created_at, updated_at) values ('LOOKUP-77', 2, now(), now())`.execute(database.db);
  assert.deepEqual(
    (await billsContaining(database.lookups, 'KUP-7', 10)).map((b) => b.billId),
    ['LOOKUP-77'],
  );
  // Another session holds the table: the look-up waits, and its timer cancels it.
  const holder = new pg.Client({ connectionString: t.database.url });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('lock table bills in access exclusive mode');
    const started = performance.now();
    assert.deepEqual(await billsContaining(database.lookups, 'KUP-7', 10), []);
    assert.ok(performance.now() - started < 2000, 'answered by the timer, not after the lock');
  } finally {
    await holder.query('rollback');
    await holder.end();
  }
  assert.deepEqual(
    (await billsContaining(database.lookups, 'KUP-7', 10)).map((b) => b.billId),
    ['LOOKUP-77'],
  );
});
