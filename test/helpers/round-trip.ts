/**
 * A backup → restore round trip between engines, checked: equal rows in every table (bags,
 * links, bills, history, users, sequences), the restored users log in, new rows get fresh ids,
 * the counters agree with a recount and the history guard is back on.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/database.js';
import type { TestDatabase } from './database.js';
import { file, historyGuardOn, openEngine, populate } from './backup.js';
import { buildTestApp } from './app.js';
import { Client } from './http.js';
import { PASSWORD } from './factories.js';
import { scanParent } from './scans.js';
import { linkParent } from './bills.js';
import { verifyBackup, writeBackup } from '../../src/commands/backup.command.js';
import { restoreBackup } from '../../src/commands/restore.command.js';
import { runChecks } from '../../src/domain/check/check.service.js';

const TS = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d:\d\d)"/g;
/** Every table's rows as sorted JSON, timestamps in UTC (the engines may differ in TimeZone). */
async function contents(db: Database): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by 1`.execute(db.db);
  const out: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ j: string }>`select to_jsonb(t)::text as j from ${sql.id(name)} t`.execute(db.db);
    out[name] = r.rows
      .map((x) =>
        x.j.replace(
          TS,
          (_m, s: string, frac: string | undefined, off: string) =>
            `"${new Date(`${s}${off}`).toISOString().slice(0, 19)}${(frac ?? '').padEnd(7, '0')}Z"`,
        ),
      )
      .sort();
  }
  delete out.schema_migrations; // applied_at is when, not what
  return out;
}

async function nextIds(db: Database): Promise<string[]> {
  const r = await sql<{ v: string }>`select last_value::text || '/' || is_called::text as v from bags_id_seq
    union all select last_value::text || '/' || is_called::text from events_id_seq
    union all select last_value::text || '/' || is_called::text from users_id_seq`.execute(db.db);
  return r.rows.map((x) => x.v);
}

interface Source {
  db: TestDatabase;
  users: string[];
  out: string;
  written: { rows: number };
}
const sources = new Map<string, Promise<Source>>();
after(async () => {
  for (const s of sources.values()) await (await s).db.close();
});
/** One populated database and its backup per engine, shared by the round trips from it. */
function sourceOf(engine: 'pglite' | 'postgres'): Promise<Source> {
  if (!sources.has(engine)) {
    sources.set(
      engine,
      (async () => {
        const db = await openEngine(engine);
        const users = await populate(db);
        const out = file();
        return { db, users, out, written: await writeBackup(db, out) };
      })(),
    );
  }
  return sources.get(engine)!;
}

export async function roundTrip(from: 'pglite' | 'postgres', to: 'pglite' | 'postgres') {
  const { db: source, users, out, written } = await sourceOf(from);
  const target = await openEngine(to, false);
  try {
    assert.ok(written.rows > 20, `rows written: ${written.rows}`);
    const v = await verifyBackup(out);
    assert.equal(v.rows, written.rows);
    const restored = await restoreBackup(target, out);
    assert.equal(restored.rows, written.rows);

    const [a, b] = [await contents(source), await contents(target)];
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const table of Object.keys(a)) assert.deepEqual(b[table], a[table], `table ${table} differs after restore`);
    assert.ok(a.bags!.length >= 8 && a.bills!.length === 2 && a.events!.length > 10 && a.users!.length === 3);
    assert.deepEqual(await nextIds(target), await nextIds(source), 'sequences restored');

    // The restored database is a working TraceTrack: people log in, new rows get fresh ids, counters agree.
    const app = await buildTestApp(target);
    try {
      for (const u of users) {
        const c = new Client(app);
        assert.equal((await c.login(u, PASSWORD)).statusCode, 200, `${u} logs in after restore`);
      }
      const biller = new Client(app);
      await biller.login(users[1]!);
      assert.equal((await scanParent(biller, 'SB00003')).statusCode, 200);
      assert.equal((await linkParent(biller, 'BILL-1', 'SB00002')).json().outcome, 'linked');
      const checks = await runChecks(app.ctx, { fix: false });
      assert.deepEqual(
        checks.flatMap((c) => c.differences),
        [],
        'tracetrack check agrees after restore',
      );
      const appended = await sql`update events set outcome = 'x'`.execute(target.db).then(
        () => 'updated',
        (e: Error) => e.message,
      );
      assert.match(appended, /append-only/, 'the history guard is back on');
      assert.ok(await historyGuardOn(target));
    } finally {
      await app.close();
    }
  } finally {
    await target.close();
  }
}
