/** Shared by the backup tests: engines opened on demand, a populated database, file edits. */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrator.js';
import { openTestDatabase, type TestDatabase } from './database.js';
import { buildTestApp } from './app.js';
import { loginAs } from './http.js';
import { fill, scanParent } from './scans.js';
import { createBill, linkParent } from './bills.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-backup-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
export const file = () => path.join(dir, `b${++n}.jsonl.gz`);

export async function openEngine(engine: 'pglite' | 'postgres', migrated = true): Promise<TestDatabase> {
  if (engine === 'postgres') {
    const db = await openTestDatabase(); // a fresh PostgreSQL database, migrated
    if (!migrated) {
      await sql`drop schema public cascade`.execute(db.db);
      await sql`create schema public`.execute(db.db);
    }
    return db;
  }
  const db: Database = await openDatabase({ pgliteDir: 'memory://' });
  if (migrated) await migrate(db);
  return { ...db, reset: async () => {} };
}

/** Some of everything: three roles, parents with children, a bill with parents, a settings row. */
export async function populate(db: TestDatabase): Promise<string[]> {
  const app = await buildTestApp(db);
  try {
    const admin = await loginAs(app, 'admin');
    const biller = await loginAs(app, 'biller');
    const disp = await loginAs(app, 'dispatcher');
    await scanParent(biller, 'SB00001');
    await fill(biller, 'SB00001', 4, 'C');
    await scanParent(disp, 'SB00002');
    await fill(disp, 'SB00002', 2, 'D');
    await createBill(biller, 'BILL-1', 3);
    assert.equal((await linkParent(biller, 'BILL-1', 'SB00001')).statusCode, 200);
    await createBill(admin, 'BILL-2', 2, { destination: 'Jaipur — dépôt' });
    // A bag that has gone again: the sequence is ahead of the largest id.
    await scanParent(admin, 'M444-00009');
    await sql`delete from bags where code = 'M444-00009'`.execute(db.db);
    return [admin.user!.username, biller.user!.username, disp.user!.username];
  } finally {
    await app.close();
  }
}

/** Rewrites a backup's text (still a valid gzip) to test what the checksum and counts catch. */
export function rewrite(src: string, edit: (lines: string[]) => string[]): string {
  const lines = zlib.gunzipSync(fs.readFileSync(src)).toString('utf8').split('\n');
  const out = file();
  fs.writeFileSync(out, zlib.gzipSync(edit(lines).join('\n')));
  return out;
}

/** Whether the events append-only trigger is enabled ('O' = on for ordinary sessions). */
export async function historyGuardOn(db: Database): Promise<boolean> {
  const r = await sql<{ e: string }>`select tgenabled as e from pg_trigger where tgname = 'events_no_update'`.execute(db.db);
  return r.rows[0]?.e === 'O';
}
