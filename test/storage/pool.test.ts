/**
 * The PostgreSQL pool keeps the connections it opened (docs/decisions/0037): one closed for being
 * idle is reopened at the next burst as a new backend, whose first statements plan and fill its
 * caches again while the scans queued behind it wait. pg-pool's idle timer is a setTimeout, so
 * mocked timers stand in for ten quiet minutes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { LOOKUP_TIMEOUT_MS, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrator.js';

const url = process.env.TEST_DATABASE_URL;

/** Backends of this application name, those whose last statement is like `lastQuery` if given. */
async function backendsNamed(name: string, lastQuery = '%'): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where application_name = $1 and query like $2',
      [name, lastQuery],
    );
    return r.rows[0]!.n;
  } finally {
    await c.end();
  }
}

test('pooled connections stay open however long they sit idle, and close() ends them', { skip: !url && 'PostgreSQL only' }, async (t) => {
  const name = `tt_pool_test_${process.pid}`;
  const own = new URL(url!);
  own.searchParams.set('application_name', name);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const database = await openDatabase({ databaseUrl: own.toString(), poolSize: 3 });
  try {
    await database.warmUp();
    assert.deepEqual(database.poolStats(), { total: 3, idle: 3, waiting: 0 });
    t.mock.timers.tick(10 * 60_000);
    assert.deepEqual(database.poolStats(), { total: 3, idle: 3, waiting: 0 }, 'the pool closed idle connections');
    t.mock.timers.reset();
    // The three of the pool and the two of the look-up pool are still there, on the server's side too.
    assert.equal(await backendsNamed(name), 5);
  } finally {
    t.mock.timers.reset();
    await database.close();
  }
  // close() ends them, though no query went through Kysely (which only ends a pool it has used).
  for (let i = 0; i < 50 && (await backendsNamed(name)) > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await backendsNamed(name), 0, 'connections left open after close()');
});

test('warm-up makes each look-up connection run its first trigram search, then keeps the look-up bound', {
  skip: !url && 'PostgreSQL only',
}, async () => {
  const name = `tt_lookup_warm_${process.pid}`;
  const own = new URL(url!);
  own.searchParams.set('application_name', name);
  const database = await openDatabase({ databaseUrl: own.toString(), poolSize: 1 });
  try {
    await migrate(database);
    await database.warmUp();
    // A new backend's first trigram search took 8–18 ms here, warm ones 1–2 ms, against a bound of 20.
    assert.equal(
      await backendsNamed(name, '%from bills where bill_id like%'),
      2,
      'both look-up connections searched the trigram indexes at warm-up',
    );
    const settings = await Promise.all(
      [0, 1].map(() => sql<{ t: string }>`select current_setting('statement_timeout') as t, pg_sleep(0.01)`.execute(database.lookups)),
    );
    assert.deepEqual(
      settings.map((r) => r.rows[0]!.t),
      [`${LOOKUP_TIMEOUT_MS}ms`, `${LOOKUP_TIMEOUT_MS}ms`],
    );
  } finally {
    await database.close();
  }
});
