/**
 * scanId idempotency records, keyed by (user, scanId). The claim is the first statement of a
 * scan transaction: a concurrent request with the same key blocks on the primary key until the
 * first commits (then finds the stored answer) or rolls back (then claims it itself).
 */
import type { Tx } from './database.js';

export interface StoredScan {
  endpoint: string;
  /** The outcome (success) or error code (refusal) of the stored answer. */
  outcome: string | null;
  response: unknown;
}

/** True when this transaction now owns the scanId; false when it was already used. */
export async function claimScanRequest(tx: Tx, userId: string, scanId: string, endpoint: string, now: Date): Promise<boolean> {
  const row = await tx
    .insertInto('scan_requests')
    .values({ user_id: userId, scan_id: scanId, endpoint, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'scan_id']).doNothing())
    .returning('scan_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findScanRequest(tx: Tx, userId: string, scanId: string): Promise<StoredScan | undefined> {
  return tx
    .selectFrom('scan_requests')
    .select(['endpoint', 'outcome', 'response'])
    .where('user_id', '=', userId)
    .where('scan_id', '=', scanId)
    .executeTakeFirst();
}

/** Stores the answer in the same transaction that claimed the scanId. */
export async function saveScanAnswer(tx: Tx, userId: string, scanId: string, outcome: string, response: unknown): Promise<void> {
  await tx
    .updateTable('scan_requests')
    .set({ outcome, response: JSON.stringify(response) })
    .where('user_id', '=', userId)
    .where('scan_id', '=', scanId)
    .execute();
}
