/**
 * One migrated database per test file: in-memory PGlite by default, or a fresh PostgreSQL
 * database (created here, dropped at the end) when TEST_DATABASE_URL is set.
 * Call reset() between tests to empty the data tables.
 */
import fs from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import type { Database } from '../../src/storage/database.js';
import { loadUnderTest } from './under-test.js';

// The storage of the build under test (src/, or dist/ with TEST_DIST=1: under-test.ts).
const { openDatabase } = await loadUnderTest<typeof import('../../src/storage/database.js')>('storage/database.js');
const { migrate } = await loadUnderTest<typeof import('../../src/storage/migrator.js')>('storage/migrator.js');
// The server's own pool size (ADR 0039), so the suites run with the connections a process has.
const { DEFAULT_DB_POOL_SIZE } = await loadUnderTest<typeof import('../../src/config.js')>('config.js');

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Tables that keep their rows between tests: reference data seeded by the migrations. Every
 * other table in the schema is emptied by reset(), so a table added by a new migration is
 * emptied too without anyone remembering to list it.
 */
export const REFERENCE_TABLES = ['schema_migrations', 'areas', 'bag_kinds', 'stat_zone'];

export interface TestDatabase extends Database {
  reset(): Promise<void>;
  /** Connection string of this test database (PostgreSQL only), for child server processes. */
  url?: string;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  let database: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (usingPostgres) {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    const name = `tt_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const own = new URL(base.toString());
    own.pathname = `/${name}`;
    url = own.toString();
    database = await openDatabase({ databaseUrl: url, poolSize: DEFAULT_DB_POOL_SIZE });
    drop = async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    // Every file starts from one migrated copy when the runner made one (scripts/run-tests.mjs).
    const template = process.env.TT_PGLITE_TEMPLATE;
    database = await openDatabase({
      pgliteDir: 'memory://',
      ...(template ? { pgliteTemplate: new Blob([fs.readFileSync(template)]) } : {}),
    });
  }
  await migrate(database);
  return {
    ...database,
    url,
    async reset() {
      const present = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(database.db);
      const tables = present.rows.map((r) => r.tablename).filter((t) => !REFERENCE_TABLES.includes(t));
      await sql.raw(`truncate ${tables.join(', ')} restart identity cascade`).execute(database.db);
      await sql`delete from areas where id not in ('lucknow','indore','jaipur','hisar','sri_ganganagar','sangaria','bathinda','raipur','ranchi','akola')`.execute(
        database.db,
      );
      await sql`update areas set active = true`.execute(database.db);
    },
    async close() {
      await database.close();
      await drop();
    },
  };
}
