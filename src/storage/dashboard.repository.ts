/**
 * The dashboard counters of migration 0005 (docs/decisions/0009-dashboard-counters.md):
 * triggers add to one of 64 slots per key, reads sum the slots. One statement reads everything
 * a dashboard shows — at most areas × 64 + 64 + 64 small rows, whatever the data size — and
 * each counter table once (a table that bulk work left with many empty pages costs one pass).
 * It is a named prepared statement (one for all areas, one for an area): planned afresh, its
 * plan cost PostgreSQL more than running it (pgbench: 0.9–1.1 ms a call against 0.37).
 */
import { sql } from 'kysely';
import { ACCEPTED_SCAN_OUTCOMES, SCAN_ACTIONS } from '../domain/scans/scan-outcomes.js';
import { inList } from './activity.repository.js';
import type { Db, Executor } from './database.js';
import { statement } from './prepared.js';

export interface AreaCount {
  area: string;
  name: string;
  parentBags: number;
  childBags: number;
}

export interface CounterSnapshot {
  /** Per area, in the areas' display order (only the asked area when `area` is given). */
  areas: AreaCount[];
  parentBags: number;
  childBags: number;
  bills: { new: number; processing: number; completed: number };
  scansToday: number;
}

interface Row {
  areas: Array<{ area: string; name: string; p: number | string; c: number | string }> | string;
  parent_bags: string;
  child_bags: string;
  new_bills: string;
  processing_bills: string;
  completed_bills: string;
  scans_today: string;
}

/** The dashboard's one statement; `$1` is now, and `inArea` the filter of its area ($2) if any. */
const countersSql = (inArea: string, areaRows: string) => `
  with per_area as (
    select area_id, sum(parent_bags) p, sum(child_bags) c from stat_bag_counters where ${inArea} group by area_id
  )
  select
    (select coalesce(json_agg(json_build_object('area', a.id, 'name', a.name, 'p', coalesce(pa.p, 0), 'c', coalesce(pa.c, 0))
                              order by a.position, a.name), '[]'::json)
       from areas a left join per_area pa on pa.area_id = a.id
      where ${areaRows}) as areas,
    (select coalesce(sum(p), 0) from per_area) as parent_bags,
    (select coalesce(sum(c), 0) from per_area) as child_bags,
    b.new_bills, b.processing_bills, b.completed_bills,
    (select coalesce(sum(d.scans), 0) from stat_scan_days d, stat_zone z
      where d.day = ($1::timestamptz at time zone z.zone)::date and ${inArea}) as scans_today
  from (select coalesce(sum(new_bills), 0) as new_bills, coalesce(sum(processing_bills), 0) as processing_bills,
               coalesce(sum(completed_bills), 0) as completed_bills
          from stat_bill_counters) b`;
const countersOfAllAreas = statement<Row>('dashboard_counters', countersSql('true', '(a.active or pa.p <> 0 or pa.c <> 0)'));
const countersOfArea = statement<Row>('dashboard_counters_of_area', countersSql('area_id = $2', 'a.id = $2'));

/**
 * Sums the counters; `area` limits bags and scans to one area. "Today" is the day of `now` in
 * the zone the scan days are kept in (stat_zone = DISPLAY_TIMEZONE).
 */
export async function readCounters(ex: Executor, area: string | null, now: Date): Promise<CounterSnapshot> {
  const rows = await (area === null ? countersOfAllAreas(ex, [now]) : countersOfArea(ex, [now, area]));
  const r = rows[0]!;
  const areas = typeof r.areas === 'string' ? (JSON.parse(r.areas) as Exclude<Row['areas'], string>) : r.areas;
  return {
    areas: areas.map((a) => ({ area: a.area, name: a.name, parentBags: Number(a.p), childBags: Number(a.c) })),
    parentBags: Number(r.parent_bags),
    childBags: Number(r.child_bags),
    bills: { new: Number(r.new_bills), processing: Number(r.processing_bills), completed: Number(r.completed_bills) },
    scansToday: Number(r.scans_today),
  };
}

/** What a scan day counts: accepted scans (the trigger of 0005 uses the same lists). */
export const COUNTED_SCANS = sql`${inList('action', SCAN_ACTIONS)} and ${inList('outcome', ACCEPTED_SCAN_OUTCOMES)}`;

/**
 * Makes the scan days follow DISPLAY_TIMEZONE. Called at start-up; when the zone changed, the
 * days are rebuilt from the history under a lock that holds back the counting triggers, so a
 * scan committing meanwhile is counted exactly once, in the new zone.
 */
export async function syncCounterZone(db: Db, zone: string): Promise<boolean> {
  const current = await sql<{ zone: string }>`select zone from stat_zone`.execute(db);
  if (current.rows[0]?.zone === zone) return false; // the usual start: nothing to do, no lock
  return db.transaction().execute(async (tx) => {
    await sql`lock table stat_scan_days in share row exclusive mode`.execute(tx);
    const locked = await sql<{ zone: string }>`select zone from stat_zone for update`.execute(tx);
    if (locked.rows[0]?.zone === zone) return false; // another process did it meanwhile
    await sql`update stat_zone set zone = ${zone}`.execute(tx);
    await sql`delete from stat_scan_days`.execute(tx);
    await sql`
      insert into stat_scan_days (day, area_id, slot, scans)
      select (at at time zone ${zone})::date, coalesce(area_id, ''), 0, count(*) from events where ${COUNTED_SCANS} group by 1, 2`.execute(
      tx,
    );
    return true;
  });
}
