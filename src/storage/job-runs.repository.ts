/**
 * Claims of scheduled jobs across processes: one row per job, moved forward by a conditional
 * upsert. The row lock makes two processes racing for the same run see one winner.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

/** True when this caller claimed the run: the job never ran, or last ran at or before `dueBefore`. */
export async function claimJobRun(db: Db, name: string, now: Date, dueBefore: Date): Promise<boolean> {
  const row = await db
    .insertInto('job_runs')
    .values({ name, last_run_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: now }).where('job_runs.last_run_at', '<=', dueBefore))
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes up to `limit` rate-limit windows that ended before `before`; returns how many. */
export async function deleteEndedRateLimits(db: Db, before: Date, limit: number): Promise<number> {
  const r = await sql`delete from rate_limits where key in (select key from rate_limits where reset_at < ${before} limit ${limit})`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}
