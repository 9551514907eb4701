/**
 * Imports: the run record, its report lines (failed and skipped rows) and the bulk history
 * insert of an import batch.
 */
import { sql, type Selectable } from 'kysely';
import type { EventSource, NewEvent } from '../domain/audit/event.js';
import type { ImportCounts, ImportKind, RowResult } from '../domain/imports/import.js';
import type { Executor } from './database.js';
import { eventRow } from './events.repository.js';
import type { ImportsTable } from './tables.js';

export interface ImportRecord extends ImportCounts {
  id: string;
  kind: ImportKind;
  fileName: string;
  actorId: string | null;
  actorName: string | null;
  dryRun: boolean;
  status: 'running' | 'done' | 'failed';
  errors: { row: number; code: string; message: string }[];
  createdAt: Date;
  finishedAt: Date | null;
}

const toImport = (r: Selectable<ImportsTable>): ImportRecord => ({
  id: String(r.id),
  kind: r.kind as ImportKind,
  fileName: r.file_name,
  actorId: r.actor_id === null ? null : String(r.actor_id),
  actorName: r.actor_name,
  dryRun: r.dry_run,
  status: r.status as ImportRecord['status'],
  rows: r.rows,
  created: r.created,
  linked: r.linked,
  skipped: r.skipped,
  failed: r.failed,
  errors: (r.errors as ImportRecord['errors']) ?? [],
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export async function insertImport(
  ex: Executor,
  i: { kind: ImportKind; fileName: string; source: EventSource; dryRun: boolean },
  now: Date,
): Promise<ImportRecord> {
  const row = await ex
    .insertInto('imports')
    .values({
      kind: i.kind,
      file_name: i.fileName,
      actor_id: i.source.userId,
      actor_name: i.source.username,
      dry_run: i.dryRun,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toImport(row);
}

export async function updateImport(
  ex: Executor,
  id: string,
  c: ImportCounts,
  done?: { status: 'done' | 'failed'; errors: ImportRecord['errors']; at: Date },
): Promise<void> {
  await ex
    .updateTable('imports')
    .set({
      rows: c.rows,
      created: c.created,
      linked: c.linked,
      skipped: c.skipped,
      failed: c.failed,
      ...(done ? { status: done.status, errors: JSON.stringify(done.errors), finished_at: done.at } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function findImport(ex: Executor, id: string): Promise<ImportRecord | undefined> {
  const row = await ex.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toImport(row);
}

/** Newest first, keyset by id. */
export async function listImports(ex: Executor, beforeId: string | undefined, limit: number): Promise<ImportRecord[]> {
  let q = ex.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(limit);
  if (beforeId) q = q.where('id', '<', beforeId);
  return (await q.execute()).map(toImport);
}

/** Report lines of one batch; an insert of at most a few thousand rows. */
export async function insertReportRows(ex: Executor, importId: string, rows: RowResult[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await ex
      .insertInto('import_rows')
      .values(
        rows.slice(i, i + 2000).map((r) => ({
          import_id: importId,
          row_no: r.rowNo,
          outcome: r.outcome,
          code: r.code?.slice(0, 255) ?? null,
          error_code: String(r.reason ?? r.outcome),
          message: (r.message ?? '').slice(0, 500),
        })),
      )
      .onConflict((oc) => oc.columns(['import_id', 'row_no']).doNothing())
      .execute();
  }
}

export interface ReportLine {
  rowNo: number;
  outcome: string;
  code: string | null;
  errorCode: string;
  message: string;
}

/** One page of an import's report, in row order, after `afterRow`. */
export async function reportPage(ex: Executor, importId: string, afterRow: number, limit: number): Promise<ReportLine[]> {
  const rows = await ex
    .selectFrom('import_rows')
    .selectAll()
    .where('import_id', '=', importId)
    .where('row_no', '>', afterRow)
    .orderBy('row_no')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ rowNo: r.row_no, outcome: r.outcome, code: r.code, errorCode: r.error_code, message: r.message }));
}

/** The history rows of one batch (each created or linked bag names the import), in one insert. */
export async function appendEvents(ex: Executor, source: EventSource, events: NewEvent[], at: Date): Promise<void> {
  for (let i = 0; i < events.length; i += 2000) {
    await ex
      .insertInto('events')
      .values(events.slice(i, i + 2000).map((e) => eventRow(source, e, at)))
      .execute();
  }
}

/** Report lines of imports finished before `before` (the imports rows and history stay). */
export async function purgeReportRows(ex: Executor, before: Date, limit: number): Promise<number> {
  const r = await sql`delete from import_rows where ctid = any(array(
    select r.ctid from import_rows r join imports i on i.id = r.import_id where i.created_at < ${before} limit ${limit}))`.execute(ex);
  return Number(r.numAffectedRows ?? 0);
}

/** The row-by-row reference run (imports.service.ts `rowByRow`): a label block under a real savepoint. */
export const savepoint = (tx: Executor) => sql`savepoint import_block`.execute(tx);
export const releaseSavepoint = (tx: Executor) => sql`release savepoint import_block`.execute(tx);
export const rollbackToSavepoint = (tx: Executor) => sql`rollback to savepoint import_block`.execute(tx);
