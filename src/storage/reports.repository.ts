/**
 * The day's report (SPEC §12), counted from the history. A day is [local midnight, next local
 * midnight) in the display time zone. Scans are read through the partial index
 * events_scans_at_idx (0011: at, include action, outcome, area, actor); other history rows
 * through events_at_idx; bills by state through bills_created_at_idx.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './database.js';
import { ACCEPTED_SCAN_OUTCOMES } from './activity.repository.js';

const SCANS = sql`e.action in ('scan.parent', 'scan.child')`;
const ACCEPTED = sql`e.outcome in (${sql.join([...ACCEPTED_SCAN_OUTCOMES])})`;

export interface DayQuery {
  /** YYYY-MM-DD, a calendar day in `tz`. */
  date: string;
  tz: string;
  /** Limit to one area, or null for all. */
  area: string | null;
}

export interface DayFigures {
  scans: { parent: number; child: number; refused: number };
  hourly: number[];
  byArea: Array<{ area: string; parentBags: number; childScans: number }>;
  byUser: Array<{ username: string; childScans: number; parentScans: number; refused: number }>;
  parents: { completed: number; short: number };
  bills: { created: number; completed: number; byStatus: { new: number; processing: number; completed: number } };
  returns: { tickets: number; bags: number };
}

const bounds = (q: DayQuery) => ({
  lo: sql`(${q.date}::date)::timestamp at time zone ${q.tz}`,
  hi: sql`(${q.date}::date + 1)::timestamp at time zone ${q.tz}`,
});

const n = (v: unknown) => Number(v ?? 0);

/** Every figure but bills and returns' refusal filter comes from here; see the module comment. */
export async function dayFigures(ex: Executor, q: DayQuery, refusalCodes: readonly string[]): Promise<DayFigures> {
  const { lo, hi } = bounds(q);
  const inDay = sql`e.at >= ${lo} and e.at < ${hi}`;
  const inArea: RawBuilder<unknown> = q.area === null ? sql`true` : sql`e.area_id = ${q.area}`;
  const scanRows = sql`select e.* from events e where ${SCANS} and ${inDay} and ${inArea}`;

  const totals = await sql<{ parent: string; child: string; refused: string }>`
    select count(*) filter (where e.action = 'scan.parent' and ${ACCEPTED}) as parent,
           count(*) filter (where e.action = 'scan.child' and ${ACCEPTED}) as child,
           count(*) filter (where not ${ACCEPTED}) as refused
    from (${scanRows}) e`.execute(ex);

  const hours = await sql<{ h: number; c: string }>`
    select extract(hour from e.at at time zone ${q.tz})::int as h, count(*) as c
    from (${scanRows}) e where e.action = 'scan.child' and ${ACCEPTED} group by 1`.execute(ex);
  const hourly = Array.from({ length: 24 }, () => 0);
  for (const r of hours.rows) hourly[r.h] = (hourly[r.h] ?? 0) + n(r.c);

  const areas = await sql<{ area: string; p: string; c: string }>`
    with counts as (
      select e.area_id, count(*) filter (where e.action = 'scan.parent' and e.outcome = 'created') as p,
             count(*) filter (where e.action = 'scan.child' and ${ACCEPTED}) as c
      from (${scanRows}) e group by 1
    )
    select a.id as area, coalesce(counts.p, 0) as p, coalesce(counts.c, 0) as c
    from areas a left join counts on counts.area_id = a.id
    where ${q.area === null ? sql`(a.active or counts.p > 0 or counts.c > 0)` : sql`a.id = ${q.area}`}
    order by a.position, a.name`.execute(ex);

  const users = await sql<{ username: string; c: string; p: string; r: string }>`
    select coalesce(u.username, max(e.actor_name), '(unknown)') as username,
           count(*) filter (where e.action = 'scan.child' and ${ACCEPTED}) as c,
           count(*) filter (where e.action = 'scan.parent' and ${ACCEPTED}) as p,
           count(*) filter (where not ${ACCEPTED}) as r
    from (${scanRows}) e left join users u on u.id = e.actor_id
    group by e.actor_id, u.username
    order by 2 desc, 1`.execute(ex);

  const others = await sql<{ completed: string; short: string; tickets: string; bags: string }>`
    select count(*) filter (where (e.action = 'bag.complete' and e.outcome = 'completed')
                              or (e.action = 'scan.child' and e.details->>'completedParent' = 'true')) as completed,
           count(*) filter (where e.action = 'bag.complete' and e.outcome = 'completed' and e.details->>'short' = 'true') as short,
           count(*) filter (where e.action = 'return.create' and e.outcome = 'created') as tickets,
           count(*) filter (where e.action = 'return.add' and e.outcome = 'returned') as bags
    from events e
    where ${inDay} and ${inArea}
      and (e.action in ('bag.complete', 'return.create', 'return.add') or (e.action = 'scan.child' and e.details->>'completedParent' = 'true'))
      and e.outcome not in (${sql.join([...refusalCodes])})`.execute(ex);

  const t = totals.rows[0]!;
  const o = others.rows[0]!;
  return {
    scans: { parent: n(t.parent), child: n(t.child), refused: n(t.refused) },
    hourly,
    byArea: areas.rows.map((r) => ({ area: r.area, parentBags: n(r.p), childScans: n(r.c) })),
    byUser: users.rows.map((r) => ({ username: r.username, childScans: n(r.c), parentScans: n(r.p), refused: n(r.r) })),
    parents: { completed: n(o.completed), short: n(o.short) },
    bills: await dayBills(ex, q),
    returns: { tickets: n(o.tickets), bags: n(o.bags) },
  };
}

/** Bills created and completed that day (history), and the bills created that day by their status now (state). */
async function dayBills(ex: Executor, q: DayQuery): Promise<DayFigures['bills']> {
  const { lo, hi } = bounds(q);
  const ev = await sql<{ created: string; completed: string }>`
    select count(*) filter (where e.action = 'bill.create') as created,
           count(*) filter (where e.action = 'bill.complete') as completed
    from events e
    where e.at >= ${lo} and e.at < ${hi} and e.action in ('bill.create', 'bill.complete') and e.outcome in ('created', 'completed')`.execute(
    ex,
  );
  const st = await sql<{ s: string; c: string }>`
    select status as s, count(*) as c from bills where created_at >= ${lo} and created_at < ${hi} group by 1`.execute(ex);
  const byStatus = { new: 0, processing: 0, completed: 0 };
  for (const r of st.rows) if (r.s in byStatus) byStatus[r.s as keyof typeof byStatus] = n(r.c);
  return { created: n(ev.rows[0]!.created), completed: n(ev.rows[0]!.completed), byStatus };
}

/** Accepted scans (parent and child) per local hour of one day: the dashboard's live chart. */
export async function hourlyScans(ex: Executor, q: DayQuery): Promise<number[]> {
  const { lo, hi } = bounds(q);
  const r = await sql<{ h: number; c: string }>`
    select extract(hour from e.at at time zone ${q.tz})::int as h, count(*) as c
    from events e
    where ${SCANS} and e.at >= ${lo} and e.at < ${hi} and ${ACCEPTED} ${q.area === null ? sql`` : sql`and e.area_id = ${q.area}`}
    group by 1`.execute(ex);
  const out = Array.from({ length: 24 }, () => 0);
  for (const row of r.rows) out[row.h] = (out[row.h] ?? 0) + n(row.c);
  return out;
}
