/**
 * scanId idempotency records, keyed by (user, scanId), always written with the attempt's history
 * row (recordAttempt here, or the scan write functions of storage/scans.repository.ts). A
 * concurrent request with the same key blocks on the primary key until the first commits (then
 * its claim does nothing: a locked attempt rolls back, and the caller replays the stored answer)
 * or rolls back (then this claim wins). In a locked attempt the claim is the transaction's last
 * statement.
 */
import type { EventSource, NewEvent } from '../domain/audit/event.js';
import { sql } from 'kysely';
import type { Db, Executor } from './database.js';
import { appendEvent, eventRow } from './events.repository.js';
import { statement } from './prepared.js';

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

/** What an attempt records: its history row and, with a scanId, the claim with the stored answer. */
export interface AttemptRecord {
  source: EventSource;
  event: NewEvent;
  at: Date;
  claim?: ScanClaim;
}
/** An unlocked attempt's write: 'changed' when a row it read has changed (nothing was written). */
export type WriteResult = 'done' | 'changed' | 'taken';

/**
 * A record as the 17 positional parameters every statement that writes one takes, in this order:
 * the history row (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip,
 * station, request_id, details), then the claim (user_id, scan_id, endpoint, outcome, response;
 * all null without a scanId). Used here and by the scan write functions (storage/scans.repository.ts).
 */
export function recordParams({ source, event, at, claim }: AttemptRecord): unknown[] {
  const e = eventRow(source, event, at);
  return [
    e.at,
    e.actor_id,
    e.actor_name,
    e.action,
    e.outcome,
    e.subject,
    e.related,
    e.area_id,
    e.ip,
    e.station,
    e.request_id,
    e.details,
    claim?.userId ?? null,
    claim?.scanId ?? null,
    claim?.endpoint ?? null,
    claim?.outcome ?? null,
    claim ? JSON.stringify(claim.response) : null,
  ];
}

/**
 * The attempt's record in one statement: the scanId is claimed first and the history row is
 * written only with it. 'taken' when an earlier request holds the scanId (nothing was written;
 * inside a transaction the caller rolls back the rest). Outside a transaction: the unlocked
 * attempts' refusals and repeats; inside one: the locked attempt, as its last statement.
 */
export async function recordAttempt(ex: Executor, record: AttemptRecord): Promise<'done' | 'taken'> {
  const { source, event, at, claim } = record;
  if (!claim) {
    await appendEvent(ex, source, event, at);
    return 'done';
  }
  const rows = await recordAttemptSql(ex, recordParams(record));
  return rows.length > 0 ? 'done' : 'taken';
}
const recordAttemptSql = statement<{ scan_id: string }>(
  'record_attempt',
  `with claim as (
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    values ($13, $14, $15, $1, $16, $17)
    on conflict (user_id, scan_id) do nothing returning scan_id),
  history as (
    insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
    select $1::timestamptz, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
      $11::text, $12::jsonb from claim)
  select scan_id from claim`,
);

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
