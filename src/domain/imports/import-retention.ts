/**
 * Import reports (the failed and skipped rows) are kept 30 days, then purged hourly in small
 * batches with the scanId answers (app.ts). The import record and its history rows stay.
 */
import type { Ctx } from '../context.js';
import { purgeReportRows } from '../../storage/imports.repository.js';

export const IMPORT_REPORT_KEEP_MS = 30 * 86_400_000;
const BATCH = 5_000;

export async function forgetOldImportReports(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - IMPORT_REPORT_KEEP_MS);
  let total = 0;
  for (;;) {
    const n = await purgeReportRows(ctx.db, before, BATCH);
    total += n;
    if (n < BATCH) return total;
  }
}
