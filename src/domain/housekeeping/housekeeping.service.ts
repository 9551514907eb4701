/**
 * Purges of what grows with use (SPEC §8): stored scanId answers, expired sessions, ended
 * rate-limit windows and old import reports. Every process looks every few minutes; the first
 * to claim the hour's run in `job_runs` does the work, so it runs once across processes and
 * machines. Deletes go in small batches: short transactions, so scanning never waits behind one.
 */
import { deleteInBatches } from '../../lib/batches.js';
import type { Ctx } from '../context.js';
import { forgetOldScanIds } from '../scans/scan-id-retention.js';
import { forgetOldImportReports } from '../imports/import-retention.js';
import { deleteExpiredSessions } from '../../storage/sessions.repository.js';
import { claimJobRun, deleteEndedRateLimits } from '../../storage/job-runs.repository.js';

export const HOUSEKEEPING_EVERY_MS = 3_600_000;
/** How often each process asks whether the hour's run is still to do. */
export const HOUSEKEEPING_CHECK_MS = 5 * 60_000;

export interface PurgeCounts {
  scanIds: number;
  sessions: number;
  rateLimits: number;
  importReportRows: number;
}

/** Purges everything past its keep time now, whoever else is running. */
export async function purgeExpired(ctx: Ctx): Promise<PurgeCounts> {
  const now = ctx.clock.now().getTime();
  const idleBefore = new Date(now - ctx.sessionPolicy.idleMs);
  const createdBefore = new Date(now - ctx.sessionPolicy.absoluteMs);
  return {
    scanIds: await forgetOldScanIds(ctx),
    sessions: await deleteInBatches((limit) => deleteExpiredSessions(ctx.db, idleBefore, createdBefore, limit)),
    rateLimits: await deleteInBatches((limit) => deleteEndedRateLimits(ctx.db, new Date(now), limit)),
    importReportRows: await forgetOldImportReports(ctx),
  };
}

/** Purges when this process claims the hour's run; null when another process already has it. */
export async function runHousekeepingIfDue(ctx: Ctx): Promise<PurgeCounts | null> {
  const now = ctx.clock.now();
  const claimed = await claimJobRun(ctx.db, 'housekeeping', now, new Date(now.getTime() - HOUSEKEEPING_EVERY_MS));
  return claimed ? purgeExpired(ctx) : null;
}
