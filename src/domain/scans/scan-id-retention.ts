/**
 * How long a scanId's stored answer is kept. A station retries a scan from its outbox within
 * seconds or, after a network outage, hours; three days covers a long weekend offline. Past
 * that a repeated scanId is treated as a new request — harmless, because the scan rules are
 * idempotent on their own (a child already in its parent answers `already_linked`); the stored
 * answer only keeps the first reply and one history row per attempt. Without this purge the
 * table grows by every scan (about 5.8M rows a day at 200 scanners).
 */
import type { Ctx } from '../context.js';
import { deleteScanRequestsBefore } from '../../storage/scan-requests.repository.js';
import { deleteInBatches } from '../../lib/batches.js';

export const SCAN_ID_KEEP_MS = 72 * 3_600_000;

/** Deletes the stored answers older than SCAN_ID_KEEP_MS; returns how many. */
export async function forgetOldScanIds(ctx: Ctx): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - SCAN_ID_KEEP_MS);
  return deleteInBatches((limit) => deleteScanRequestsBefore(ctx.db, before, limit));
}
