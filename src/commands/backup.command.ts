/**
 * `tracetrack backup --out FILE` and `tracetrack backup --verify FILE`. The backup reads every
 * table in one REPEATABLE READ read-only transaction (one snapshot: consistent while the server
 * scans), in keyset pages, streaming into the file (src/lib/backup-file.ts). Engine-neutral:
 * a PGlite backup restores into PostgreSQL and back.
 */
import { parseArgs } from 'node:util';
import type { Database } from '../storage/database.js';
import { BackupWriter, readBackup, type BackupHeader, BACKUP_FORMAT, BACKUP_VERSION } from '../lib/backup-file.js';
import { appliedMigrations, countRows, describeTables, inSnapshot, readRows, readSequences } from '../storage/backup.repository.js';

export const BACKUP_USAGE = `  backup --out FILE                         write a consistent backup (gzip, either engine) while the
                                            server runs; progress on stderr
  backup --verify FILE                      check a backup file (complete, unchanged) without restoring
  restore FILE [--force]                    restore a backup into this database (migrates it first);
                                            --force replaces a database that already has data`;

export type Progress = (line: string) => void;

/** Prints at most once a second, so a big table shows progress and a small database stays quiet. */
export function throttled(print: Progress, everyMs = 1000): (line: () => string) => void {
  let next = Date.now() + everyMs;
  return (line) => {
    const now = Date.now();
    if (now < next) return;
    next = now + everyMs;
    print(line());
  };
}

export interface BackupSummary {
  tables: number;
  rows: number;
}

/** `progressEveryMs`: at most one progress line per interval (tests shorten it). */
export async function writeBackup(
  database: Database,
  file: string,
  progress: Progress = () => {},
  progressEveryMs = 1000,
): Promise<BackupSummary> {
  const out = new BackupWriter(file);
  const tick = throttled(progress, progressEveryMs);
  try {
    const summary = await inSnapshot(database.db, async (tx) => {
      const migrations = (await appliedMigrations(tx)) ?? [];
      const infos = await describeTables(tx);
      const tables = [];
      for (const info of infos) tables.push({ name: info.name, columns: info.columns, rows: await countRows(tx, info.name) });
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        engine: database.engine,
        migrations,
        tables,
        sequences: await readSequences(tx),
      };
      await out.line(JSON.stringify(header));
      const counts: Record<string, number> = {};
      let total = 0;
      for (const [i, info] of infos.entries()) {
        const expected = tables[i]!.rows;
        await out.line(JSON.stringify({ table: info.name, rows: expected }));
        let n = 0;
        for await (const page of readRows(tx, info)) {
          for (const row of page) await out.line(row);
          n += page.length;
          tick(() => `backup: ${info.name} ${n}/${expected} rows`);
        }
        // Same snapshot as the count, so they agree unless something is badly wrong.
        if (n !== expected) throw new Error(`table ${info.name}: read ${n} rows, counted ${expected}`);
        counts[info.name] = n;
        total += n;
      }
      await out.finish(counts);
      return { tables: infos.length, rows: total };
    });
    return summary;
  } catch (err) {
    out.abort();
    throw err;
  }
}

export interface VerifySummary extends BackupSummary {
  header: BackupHeader;
}

export async function verifyBackup(file: string): Promise<VerifySummary> {
  let header: BackupHeader | undefined;
  let rows = 0;
  for await (const item of readBackup(file, { parseRows: true })) {
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'rows') rows += item.lines.length;
  }
  return { header: header!, tables: header!.tables.length, rows };
}

export function backupArgs(args: string[]): { out?: string; verify?: string } {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, verify: { type: 'string' } } });
  return values;
}
