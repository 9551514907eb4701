/**
 * Import reports (the failed and skipped rows) are kept 30 days, then purged hourly in small
 * batches with the other purges (domain/housekeeping). The import record and its history rows stay.
 */
import type { Ctx } from '../context.js';
import { deleteInBatches } from '../../lib/batches.js';
import { purgeReportRows } from '../../storage/imports.repository.js';

export const IMPORT_REPORT_KEEP_MS = 30 * 86_400_000;
export async function forgetOldImportReports(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - IMPORT_REPORT_KEEP_MS);
  return deleteInBatches((limit) => purgeReportRows(ctx.db, before, limit));
}
