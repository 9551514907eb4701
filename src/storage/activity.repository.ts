/**
 * Per-user scan figures, read from the history rows the scan use cases write (actions
 * scan.parent / scan.child). Every query here is a range over the partial index
 * events_scans_actor_at_idx (actor_id, at) include (outcome): index-only, no counters to keep.
 * Days are calendar days in the display time zone.
 */
import { sql } from 'kysely';
import type { Executor } from './database.js';
import { ACCEPTED_SCAN_OUTCOMES, SCAN_ACTIONS } from '../domain/scans/scan-outcomes.js';

export { ACCEPTED_SCAN_OUTCOMES };

/** `column in ('a', 'b')` with literals, so the planner matches the partial index predicates. */
export const inList = (column: string, values: readonly string[]) =>
  sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
const SCANS = inList('action', SCAN_ACTIONS);
const ACCEPTED = inList('outcome', ACCEPTED_SCAN_OUTCOMES);
const localDay = (now: Date, tz: string) => sql`date_trunc('day', ${now}::timestamptz at time zone ${tz})`;

export interface ScanCounts {
  today: number;
  week: number;
}

/** Accepted scans today and in the last 7 days (today included) for each of the users. */
export async function scanCountsByUser(ex: Executor, userIds: string[], now: Date, tz: string): Promise<Map<string, ScanCounts>> {
  const out = new Map<string, ScanCounts>();
  if (userIds.length === 0) return out;
  const r = await sql<{ actor_id: string; today: string; week: string }>`
    with bounds as (select ${localDay(now, tz)} at time zone ${tz} as today,
                           (${localDay(now, tz)} - interval '6 days') at time zone ${tz} as week)
    select e.actor_id, count(*) filter (where e.at >= b.today) as today, count(*) as week
    from events e, bounds b
    where e.actor_id in (${sql.join(userIds)}) and e.${SCANS} and e.at >= b.week and e.${ACCEPTED}
    group by e.actor_id`.execute(ex);
  for (const row of r.rows) out.set(String(row.actor_id), { today: Number(row.today), week: Number(row.week) });
  return out;
}

export interface DayCount {
  /** YYYY-MM-DD in the display time zone. */
  day: string;
  accepted: number;
  refused: number;
}

/** One entry per calendar day, oldest first, zero for days without scans. */
export async function scansPerDay(ex: Executor, userId: string, now: Date, tz: string, days: number): Promise<DayCount[]> {
  const r = await sql<{ day: string; accepted: string; refused: string }>`
    with days as (
      select d::date as day from generate_series(${localDay(now, tz)} - make_interval(days => ${days - 1}), ${localDay(now, tz)}, interval '1 day') d
    ), counts as (
      select (e.at at time zone ${tz})::date as day,
             count(*) filter (where e.${ACCEPTED}) as accepted,
             count(*) filter (where not e.${ACCEPTED}) as refused
      from events e
      where e.actor_id = ${userId} and e.${SCANS}
        and e.at >= (${localDay(now, tz)} - make_interval(days => ${days - 1})) at time zone ${tz}
      group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, coalesce(counts.accepted, 0) as accepted, coalesce(counts.refused, 0) as refused
    from days left join counts on counts.day = days.day
    order by days.day`.execute(ex);
  return r.rows.map((x) => ({ day: x.day, accepted: Number(x.accepted), refused: Number(x.refused) }));
}

export interface RecentScan {
  at: Date;
  action: string;
  outcome: string;
  subject: string | null;
  related: string | null;
  areaId: string | null;
  station: string | null;
}

export async function recentScansOf(ex: Executor, userId: string, limit: number): Promise<RecentScan[]> {
  const rows = await ex
    .selectFrom('events')
    .select(['at', 'action', 'outcome', 'subject', 'related', 'area_id', 'station'])
    .where('actor_id', '=', userId)
    .where(SCANS)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    action: r.action,
    outcome: r.outcome,
    subject: r.subject,
    related: r.related,
    areaId: r.area_id,
    station: r.station,
  }));
}
