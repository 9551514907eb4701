/**
 * `tracetrack restore FILE [--force]`: the target is first brought to the backup's schema
 * (migrations it lacks, up to the backup's list only), the rows go in inside ONE transaction
 * (all or nothing; the checksum is checked before commit), then any newer migrations run on
 * the restored data, exactly as an upgrade would. Refuses a backup from a newer TraceTrack,
 * and a database that already holds data unless --force (then it is emptied in that transaction).
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Database } from '../storage/database.js';
import { migrate, migrationFiles } from '../storage/migrator.js';
import { readBackup, BackupFileError, type BackupHeader } from '../lib/backup-file.js';
import {
  appliedMigrations,
  describeTables,
  existingSequences,
  hasUserData,
  insertRows,
  restoreSequence,
  setUserTriggers,
  truncateAll,
} from '../storage/backup.repository.js';
import { throttled, type Progress } from './backup.command.js';

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  /** Migrations applied after the rows went in (the backup was from an older release). */
  upgraded: string[];
}

async function prepareSchema(database: Database, header: BackupHeader): Promise<void> {
  const known = new Set(migrationFiles());
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length > 0) {
    throw new RestoreRefused(
      `the backup comes from a newer TraceTrack (migrations ${unknown.join(', ')} are unknown here); upgrade TraceTrack first`,
    );
  }
  const target = (await appliedMigrations(database.db)) ?? [];
  const wanted = new Set(header.migrations);
  const ahead = target.filter((m) => !wanted.has(m));
  if (ahead.length > 0) {
    throw new RestoreRefused(
      `this database is at a newer schema than the backup (${ahead.join(', ')}); restore into an empty database, which is then upgraded after the restore`,
    );
  }
  await migrate(database, undefined, { only: wanted });
}

export async function restoreBackup(
  database: Database,
  file: string,
  opts: { force?: boolean; progress?: Progress; progressEveryMs?: number } = {},
): Promise<RestoreSummary> {
  const items = readBackup(file)[Symbol.asyncIterator]();
  const first = await items.next();
  if (first.done || first.value.kind !== 'header') throw new BackupFileError('no header');
  const header = first.value.header;
  await prepareSchema(database, header);

  const targetTables = await describeTables(database.db);
  const byName = new Map(targetTables.map((t) => [t.name, t]));
  for (const t of header.tables) {
    const have = byName.get(t.name);
    if (!have) throw new RestoreRefused(`table ${t.name} of the backup does not exist here`);
    const missing = t.columns.filter((c) => !have.columns.includes(c));
    if (missing.length > 0) throw new RestoreRefused(`columns ${missing.join(', ')} of ${t.name} do not exist here`);
  }
  const names = targetTables.map((t) => t.name);
  const busy = await hasUserData(database.db, names);
  if (busy.length > 0 && !opts.force) {
    throw new RestoreRefused(`this database already has data (${busy.join(', ')}); restore --force replaces all of it`);
  }

  const tick = throttled(opts.progress ?? (() => {}), opts.progressEveryMs);
  let rows = 0;
  await database.db.transaction().execute(async (tx) => {
    await truncateAll(tx, names);
    await setUserTriggers(tx, names, false);
    const done: Record<string, number> = {};
    for (;;) {
      const r = await items.next();
      if (r.done) throw new BackupFileError('backup ends early (no trailer)');
      const item = r.value;
      if (item.kind === 'end') break;
      if (item.kind !== 'rows') continue;
      await insertRows(tx, item.table.name, item.table.columns, item.lines);
      rows += item.lines.length;
      done[item.table.name] = (done[item.table.name] ?? 0) + item.lines.length;
      tick(() => `restore: ${item.table.name} ${done[item.table.name]}/${item.table.rows} rows`);
    }
    const present = await existingSequences(tx);
    for (const s of header.sequences) if (present.has(s.sequence)) await restoreSequence(tx, s);
    await setUserTriggers(tx, names, true);
  });
  const { applied } = await migrate(database);
  await sql`analyze`.execute(database.db);
  return { tables: header.tables.length, rows, upgraded: applied };
}

export function restoreArgs(args: string[]): { file?: string; force: boolean } {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
  return { file: positionals[0], force: values.force === true };
}
