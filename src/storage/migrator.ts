/**
 * Applies migrations/NNNN_name.sql in order, each once and in its own transaction, on either
 * engine. An advisory lock keeps several processes or machines from migrating at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';
import { sql } from 'kysely';
import type { Database } from './database.js';

export const MIGRATIONS_DIR = path.join(ROOT, 'migrations');
const LOCK_KEY = 727_001;

export interface MigrationResult {
  applied: string[];
}

export function migrationFiles(dir = MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/** `only`: apply just these (restore brings a database to its backup's schema first). */
export async function migrate(
  database: Database,
  dir = MIGRATIONS_DIR,
  opts: { only?: ReadonlySet<string> } = {},
): Promise<MigrationResult> {
  const files = migrationFiles(dir).filter((f) => !opts.only || opts.only.has(f));
  const applied: string[] = [];
  // One connection throughout: the advisory lock belongs to a session.
  await database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
        conn,
      );
      const done = await sql<{ name: string }>`select name from schema_migrations`.execute(conn);
      const seen = new Set(done.rows.map((r) => r.name));
      for (const file of files) {
        if (seen.has(file)) continue;
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const record = `insert into schema_migrations (name) values ('${file}');`;
        try {
          await database.execScript(conn, `begin;\n${text}\n;\n${record}\ncommit;`);
        } catch (err) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(file);
      }
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
  return { applied };
}
