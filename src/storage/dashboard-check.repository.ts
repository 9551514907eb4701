/**
 * The dashboard counters (0005) against a recount of the rows they count, for
 * `tracetrack check`. Each comparison is one statement: one snapshot, in which a counter and the
 * row it counts always agree (the triggers write both in one transaction), so a busy warehouse
 * shows no false difference. The fix rebuilds the counter tables from a recount under a lock
 * that holds back the counting triggers until it commits.
 */
import { sql } from 'kysely';
import type { CounterDifference } from './check.repository.js';
import { COUNTED_SCANS } from './dashboard.repository.js';
import type { Executor, Tx } from './database.js';

type Row = { subject: string; field: string; stored: string; recounted: string };
const toDifference = (r: Row): CounterDifference => ({
  subject: r.subject,
  field: r.field,
  stored: Number(r.stored),
  recounted: Number(r.recounted),
});

const BAG_RECOUNT = sql`select area_id, count(*) filter (where type = 'parent') p, count(*) filter (where type = 'child') c from bags group by area_id`;
const DAY_RECOUNT = sql`select (e.at at time zone z.zone)::date as day, coalesce(e.area_id, '') as area_id, count(*) n
  from events e, stat_zone z where ${COUNTED_SCANS} group by 1, 2`;
const BILL_RECOUNT = sql`select count(*) filter (where status = 'new') n, count(*) filter (where status = 'processing') p,
  count(*) filter (where status = 'completed') c from bills`;

export async function dashboardCounterDifferences(ex: Executor): Promise<CounterDifference[]> {
  const bags = await sql<Row>`
    select 'area ' || coalesce(k.area_id, r.area_id) as subject, f.field, f.stored, f.recounted
    from (select area_id, sum(parent_bags) p, sum(child_bags) c from stat_bag_counters group by area_id) k
    full join (${BAG_RECOUNT}) r on r.area_id = k.area_id
    cross join lateral (values ('parentBags', coalesce(k.p, 0), coalesce(r.p, 0)), ('childBags', coalesce(k.c, 0), coalesce(r.c, 0)))
      as f (field, stored, recounted)
    where f.stored <> f.recounted
    order by 1, 2`.execute(ex);
  const days = await sql<Row>`
    select 'scans ' || coalesce(k.day, r.day)::text || ' ' || coalesce(nullif(coalesce(k.area_id, r.area_id), ''), '-') as subject,
           'scans' as field, coalesce(k.n, 0) as stored, coalesce(r.n, 0) as recounted
    from (select day, area_id, sum(scans) n from stat_scan_days group by 1, 2) k
    full join (${DAY_RECOUNT}) r on r.day = k.day and r.area_id = k.area_id
    where coalesce(k.n, 0) <> coalesce(r.n, 0)
    order by 1`.execute(ex);
  const bills = await sql<Row>`
    select 'bills ' || f.field as subject, 'count' as field, f.stored, f.recounted
    from (select coalesce(sum(new_bills), 0) n, coalesce(sum(processing_bills), 0) p, coalesce(sum(completed_bills), 0) c from stat_bill_counters) k,
         (${BILL_RECOUNT}) r,
         lateral (values ('new', k.n, r.n), ('processing', k.p, r.p), ('completed', k.c, r.c)) as f (field, stored, recounted)
    where f.stored <> f.recounted`.execute(ex);
  return [...bags.rows, ...days.rows, ...bills.rows].map(toDifference);
}

/** Rewrites all three counter tables from a recount (they are small: areas, days, 64 slots). */
export async function rebuildDashboardCounters(tx: Tx): Promise<void> {
  await sql`lock table stat_bag_counters, stat_scan_days, stat_bill_counters in share row exclusive mode`.execute(tx);
  await sql`delete from stat_bag_counters`.execute(tx);
  await sql`insert into stat_bag_counters (area_id, slot, parent_bags, child_bags) select area_id, 0, p, c from (${BAG_RECOUNT}) r`.execute(
    tx,
  );
  await sql`delete from stat_scan_days`.execute(tx);
  await sql`insert into stat_scan_days (day, area_id, slot, scans) select day, area_id, 0, n from (${DAY_RECOUNT}) r`.execute(tx);
  await sql`delete from stat_bill_counters`.execute(tx);
  await sql`insert into stat_bill_counters (slot, new_bills, processing_bills, completed_bills) select 0, n, p, c from (${BILL_RECOUNT}) r`.execute(
    tx,
  );
}
