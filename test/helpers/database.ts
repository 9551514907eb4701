/**
 * One migrated database per test file: in-memory PGlite by default, or a fresh PostgreSQL
 * database (created here, dropped at the end) when TEST_DATABASE_URL is set.
 * Call reset() between tests to empty the data tables.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrator.js';

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** Tables emptied between tests (reference data such as areas is re-seeded by migrations only). */
export const DATA_TABLES = ['events', 'sessions', 'rate_limits', 'users', 'bags', 'bills', 'scan_requests', 'totp_backup_codes', 'pending_logins', 'settings',
  // 0005: the dashboard counters follow the rows they count.
  'stat_bag_counters', 'stat_scan_days', 'stat_bill_counters',
  // 0011: end-of-day e-mail claims and log.
  'report_sends', 'report_send_log'];

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
    database = await openDatabase({ databaseUrl: url, poolSize: 20 });
    drop = async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    database = await openDatabase({ pgliteDir: 'memory://' });
  }
  await migrate(database);
  return {
    ...database,
    url,
    async reset() {
      const present = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(database.db);
      const names = new Set(present.rows.map((r) => r.tablename));
      const tables = DATA_TABLES.filter((t) => names.has(t));
      await sql.raw(`truncate ${tables.join(', ')} restart identity cascade`).execute(database.db);
      await sql`delete from areas where id not in ('lucknow','indore','jaipur','hisar','sri_ganganagar','sangaria','bathinda','raipur','ranchi','akola')`.execute(database.db);
      await sql`update areas set active = true`.execute(database.db);
    },
    async close() {
      await database.close();
      await drop();
    },
  };
}
