/**
 * The import use case (SPEC §10). Rows stream in from the file; units (rows, label blocks,
 * bill blocks) are applied in chunks of about BATCH_ROWS rows, each chunk one transaction with
 * its report lines, its history rows (each created or linked bag names the import) and the
 * import's running counts — so memory stays flat and a page can show progress. The import
 * itself is one history entry ('import', subject import:<id>) with its counts.
 *
 * A chunk locks and reads every bag its rows name in one statement, runs the scan rules on
 * those rows in memory and writes them back set-based (chunk-store.ts, ADR 0024). A chunk that
 * lost a race to a station (a code created meanwhile, a deadlock) is rolled back and run again.
 *
 * A dry run applies exactly the same code inside ONE transaction that is rolled back at the end,
 * so later rows see what earlier rows would have done and the answer equals a real run's. Only
 * the import record and its report survive it (ADR 0017).
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { assertCan } from '../permissions.js';
import { sourceOf } from '../audit/event.js';
import { appendEvent } from '../../storage/events.repository.js';
import type { Tx } from '../../storage/database.js';
import {
  appendEvents,
  findImport,
  insertImport,
  insertReportRows,
  listImports,
  reportPage,
  updateImport,
  type ImportRecord,
} from '../../storage/imports.repository.js';
import { isRetryableConflict } from '../../storage/errors.js';
import { withRetries } from '../../lib/retry.js';
import {
  ANSWER_ERRORS,
  bagCodesOf,
  countResult,
  emptyCounts,
  rowsOf,
  unitsOf,
  type ImportCounts,
  type ImportKind,
  type Row,
  type RowResult,
  type Unit,
} from './import.js';
import { applyUnit } from './imports.apply.js';
import { ChunkConflict, ChunkStore, rowByRowStore } from './chunk-store.js';

/** Rows per chunk: one pre-read, one transaction; a unit (a whole block) is never split. */
export const BATCH_ROWS = 500;
/** A chunk that keeps losing races to stations is a bug, not bad luck. */
const CHUNK_ATTEMPTS = 5;
/** A dry run keeps its report in memory until the rollback; at most this many lines. */
export const DRY_RUN_REPORT_LINES = 10_000;

export interface RunImportInput {
  kind: ImportKind;
  fileName: string;
  dryRun: boolean;
  rows: AsyncIterable<Row>;
  /** Tests only: run the rules row by row on the database (the reference the chunks must equal). */
  rowByRow?: boolean;
}

export interface ImportAnswer extends ImportCounts {
  importId: string;
  kind: ImportKind;
  dryRun: boolean;
  errors: { row: number; code: string; message: string }[];
}

class DryRunDone extends Error {}

export async function runImport(
  ctx: Ctx,
  actor: Actor,
  input: RunImportInput,
  isUnreadable: (e: unknown) => boolean,
): Promise<ImportAnswer> {
  assertCan(actor, 'imports.manage');
  const source = sourceOf(actor);
  const rec = await insertImport(ctx.db, { kind: input.kind, fileName: input.fileName, source, dryRun: input.dryRun }, ctx.clock.now());
  const counts = emptyCounts();
  const errors: ImportAnswer['errors'] = [];
  const dryReport: RowResult[] = [];
  const units = unitsOf(input.kind, input.rows)[Symbol.asyncIterator]();

  /** Applies a chunk; the counts and answer errors move only once it is written (a retry starts over). */
  const runBatch = async (tx: Tx, batch: Unit[]) => {
    const now = ctx.clock.now();
    const report: RowResult[] = [];
    const events = [];
    const next = { ...counts };
    const newErrors: ImportAnswer['errors'] = [];
    const store = input.rowByRow
      ? rowByRowStore(tx)
      : await ChunkStore.open(
          tx,
          batch.flatMap((u) => bagCodesOf(input.kind, u)),
        );
    for (const u of batch) {
      const applied = await applyUnit({ ctx, tx, store, actor, kind: input.kind, importId: rec.id, now }, u);
      events.push(...applied.events);
      for (const r of applied.results) {
        countResult(next, r);
        if (r.outcome === 'failed' && errors.length + newErrors.length < ANSWER_ERRORS)
          newErrors.push({ row: r.rowNo, code: String(r.reason), message: r.message ?? '' });
        if (r.outcome === 'failed' || r.outcome === 'skipped') report.push(r);
      }
    }
    await store.flush(now);
    if (!input.dryRun) {
      await insertReportRows(tx, rec.id, report);
      await appendEvents(tx, source, events, now);
      await updateImport(tx, rec.id, next);
    }
    return () => {
      Object.assign(counts, next);
      errors.push(...newErrors);
      if (input.dryRun) dryReport.push(...report.slice(0, DRY_RUN_REPORT_LINES - dryReport.length));
    };
  };
  const runChunk = (batch: Unit[]) =>
    withRetries(
      CHUNK_ATTEMPTS,
      (err) => err instanceof ChunkConflict || isRetryableConflict(err),
      async () => (await ctx.db.transaction().execute((tx) => runBatch(tx, batch)))(),
    );
  const nextBatch = async (): Promise<Unit[]> => {
    const batch: Unit[] = [];
    let n = 0;
    while (n < BATCH_ROWS) {
      const { value, done } = await units.next();
      if (done) break;
      batch.push(value);
      n += rowsOf(value).length;
    }
    return batch;
  };

  try {
    if (input.dryRun) {
      await ctx.db
        .transaction()
        .execute(async (tx) => {
          for (let b = await nextBatch(); b.length; b = await nextBatch()) (await runBatch(tx, b))();
          throw new DryRunDone();
        })
        .catch((e) => {
          if (!(e instanceof DryRunDone)) throw e;
        });
    } else {
      for (let b = await nextBatch(); b.length; b = await nextBatch()) await runChunk(b);
    }
  } catch (err) {
    await finish(ctx, actor, rec, counts, errors, dryReport, 'failed');
    if (isUnreadable(err)) throw new DomainError('validation_failed', (err as Error).message, { importId: rec.id, rowsDone: counts.rows });
    throw err;
  }
  await finish(ctx, actor, rec, counts, errors, dryReport, 'done');
  return { importId: rec.id, kind: input.kind, dryRun: input.dryRun, ...counts, errors };
}

/** Closes the record; a real run adds the import's one history entry in the same transaction. */
async function finish(
  ctx: Ctx,
  actor: Actor,
  rec: ImportRecord,
  counts: ImportCounts,
  errors: ImportAnswer['errors'],
  dryReport: RowResult[],
  status: 'done' | 'failed',
) {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    if (rec.dryRun) await insertReportRows(tx, rec.id, dryReport);
    await updateImport(tx, rec.id, counts, { status, errors, at });
    if (!rec.dryRun) {
      await appendEvent(
        tx,
        sourceOf(actor),
        {
          action: 'import',
          outcome: status === 'done' ? 'ok' : 'failed',
          subject: `import:${rec.id}`,
          details: { kind: rec.kind, fileName: rec.fileName, ...counts },
        },
        at,
      );
    }
  });
}

export async function getImport(ctx: Ctx, actor: Actor, id: string): Promise<ImportRecord> {
  assertCan(actor, 'imports.manage');
  const rec = /^\d{1,18}$/.test(id) ? await findImport(ctx.db, id) : undefined;
  if (!rec) throw new DomainError('not_found', `No import ${id}`);
  return rec;
}

export async function pastImports(ctx: Ctx, actor: Actor, beforeId: string | undefined, limit: number): Promise<ImportRecord[]> {
  assertCan(actor, 'imports.manage');
  return listImports(ctx.db, beforeId, limit);
}

/** The report lines of an import in row order, read in keyset pages as the download goes. */
export async function* importReport(ctx: Ctx, importId: string): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const page = await reportPage(ctx.db, importId, after, 1000);
    for (const l of page) yield [l.rowNo, l.outcome, l.code, l.errorCode, l.message];
    if (page.length < 1000) return;
    after = page[page.length - 1]!.rowNo;
  }
}
