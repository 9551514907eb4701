/**
 * End-of-day e-mail bookkeeping (0011): report_sends holds one row per report day — the claim
 * that makes one process, and only one, send that day's mail — and report_send_log every attempt.
 */
import { sql } from 'kysely';
import type { Executor } from './database.js';

/** A claim left 'sending' longer than this is taken to be from a process that died mid-send. */
const STALE_CLAIM = '10 minutes';

export async function hasDay(ex: Executor, day: string): Promise<boolean> {
  const r = await sql<{ one: number }>`select 1 as one from report_sends where day = ${day}::date`.execute(ex);
  return r.rows.length > 0;
}

/**
 * Claims the day for this process: true for exactly one caller, however many race (the primary
 * key decides); a stale 'sending' claim may be taken over.
 */
export async function claimDay(ex: Executor, day: string, now: Date): Promise<boolean> {
  const r = await sql<{ day: string }>`
    insert into report_sends (day, status, claimed_at) values (${day}::date, 'sending', ${now})
    on conflict (day) do update set claimed_at = excluded.claimed_at
      where report_sends.status = 'sending' and report_sends.claimed_at < ${now}::timestamptz - interval '${sql.raw(STALE_CLAIM)}'
    returning day`.execute(ex);
  return r.rows.length === 1;
}

export async function finishDay(
  ex: Executor,
  day: string,
  r: { ok: boolean; attempts: number; error: string | null },
  now: Date,
): Promise<void> {
  await sql`update report_sends set status = ${r.ok ? 'sent' : 'failed'}, attempts = ${r.attempts}, sent_at = ${r.ok ? now : null}, last_error = ${r.error}
    where day = ${day}::date`.execute(ex);
}

export interface SendLogEntry {
  id: string;
  day: string;
  at: Date;
  trigger: 'schedule' | 'manual';
  attempt: number;
  ok: boolean;
  recipients: string;
  error: string | null;
}

export async function logAttempt(ex: Executor, e: Omit<SendLogEntry, 'id'>): Promise<void> {
  await sql`insert into report_send_log (day, at, trigger, attempt, ok, recipients, error)
    values (${e.day}::date, ${e.at}, ${e.trigger}, ${e.attempt}, ${e.ok}, ${e.recipients}, ${e.error})`.execute(ex);
}

export async function recentLog(ex: Executor, limit: number): Promise<SendLogEntry[]> {
  const r = await sql<SendLogEntry>`
    select id, to_char(day, 'YYYY-MM-DD') as day, at, trigger, attempt, ok, recipients, error from report_send_log order by id desc limit ${limit}`.execute(
    ex,
  );
  return r.rows.map((x) => ({ ...x, id: String(x.id), at: new Date(x.at) }));
}
