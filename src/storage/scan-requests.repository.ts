/**
 * scanId idempotency records, keyed by (user, scanId). The claim is the last statement of a
 * scan transaction and carries the answer and the history row with it (one round trip): a
 * concurrent request with the same key blocks on the primary key until the first commits (then
 * its claim does nothing and the caller rolls back and replays the stored answer) or rolls back
 * (then this claim wins).
 */
import type { EventSource, NewEvent } from '../domain/audit/event.js';
import { sql } from 'kysely';
import type { Db, Executor, Tx } from './database.js';
import { eventRow } from './events.repository.js';

export interface StoredScan {
  endpoint: string;
  /** The outcome (success) or error code (refusal) of the stored answer. */
  outcome: string | null;
  response: unknown;
}

export interface ScanClaim {
  userId: string;
  scanId: string;
  endpoint: string;
  outcome: string;
  response: unknown;
}

/**
 * Writes the attempt's history row and claims its scanId with the answer, in one statement.
 * False when the scanId was already used: the caller must roll back (the history row with it).
 */
export async function recordClaimedAttempt(tx: Tx, claim: ScanClaim, source: EventSource, event: NewEvent, at: Date): Promise<boolean> {
  const row = await tx
    .with('history', (db) => db.insertInto('events').values(eventRow(source, event, at)))
    .insertInto('scan_requests')
    .values({
      user_id: claim.userId,
      scan_id: claim.scanId,
      endpoint: claim.endpoint,
      created_at: at,
      outcome: claim.outcome,
      response: JSON.stringify(claim.response),
    })
    .onConflict((oc) => oc.columns(['user_id', 'scan_id']).doNothing())
    .returning('scan_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findScanRequest(ex: Executor, userId: string, scanId: string): Promise<StoredScan | undefined> {
  return ex
    .selectFrom('scan_requests')
    .select(['endpoint', 'outcome', 'response'])
    .where('user_id', '=', userId)
    .where('scan_id', '=', scanId)
    .executeTakeFirst();
}

/** Deletes up to `limit` stored answers created before `before`, oldest first; returns how many. */
export async function deleteScanRequestsBefore(db: Db, before: Date, limit: number): Promise<number> {
  const r = await sql`
    delete from scan_requests where (user_id, scan_id) in (
      select user_id, scan_id from scan_requests where created_at < ${before} order by created_at limit ${limit})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
