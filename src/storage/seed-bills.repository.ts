/**
 * Seeded bills (~35 for every 1,000 bags, i.e. 70,000 at 2M): completed parents are spread over
 * them in id order, then each bill's counters, capacity and status are set from its links, so
 * the recount in `tracetrack check` agrees. Statuses come out new, processing and completed.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

export async function seedBills(db: Db, bags: number, days: number): Promise<number> {
  const bills = Math.max(3, Math.round(bags * 0.035));
  await sql`
    insert into bills (bill_id, capacity, destination, vehicle_number, status, created_by, created_at, updated_at)
    select 'BL-' || lpad(g::text, 7, '0'), 1 + g % 8,
           (array['Jaipur mandi','Indore depot','Delhi APMC','Raipur yard','Akola mill'])[1 + g % 5],
           'RJ' || lpad((g % 50)::text, 2, '0') || 'GA' || lpad((g % 9999)::text, 4, '0'),
           'new', u.ids[1 + g % array_length(u.ids, 1)],
           now() - make_interval(secs => (random() * ${days} * 86400)::int), now()
    from generate_series(1, ${bills}) g,
         (select array_agg(id order by id) ids from users where role in ('admin', 'biller')) u
    on conflict do nothing`.execute(db);

  // 70% of completed parents go on a bill, round-robin over the bills.
  await sql`
    with parents as (
      select id, row_number() over (order by id) rn, count(*) over () total
      from bags where type = 'parent' and status = 'completed' and bill_id is null),
    b as (select id, row_number() over (order by id) rn from bills)
    update bags p set bill_id = b.id, bill_linked_at = p.completed_at + interval '1 hour', bill_linked_by = p.created_by
    from parents x join b on b.rn = 1 + (x.rn - 1) % ${bills}
    where p.id = x.id and x.rn <= x.total * 0.7`.execute(db);

  // Counters from the links; a third of the filled bills are completed at exactly their count.
  await sql`
    update bills b set parent_count = c.parents, child_count = c.children,
           actual_weight_kg = c.children * (select expected_weight_kg from bag_kinds where id = 'CHILD'),
           expected_weight_kg = c.expected,
           capacity = case when b.id % 3 = 0 then c.parents else greatest(b.capacity, c.parents) end,
           status = case when b.id % 3 = 0 then 'completed' else 'processing' end,
           completed_at = case when b.id % 3 = 0 then c.last + interval '2 hours' else null end
    from (select p.bill_id, count(*)::int parents, sum(p.child_count)::int children, sum(k.expected_weight_kg)::int expected,
                 max(p.bill_linked_at) last
          from bags p join bag_kinds k on k.id = p.kind_id where p.bill_id is not null group by p.bill_id) c
    where b.id = c.bill_id`.execute(db);

  await sql`
    insert into events (at, actor_id, actor_name, action, outcome, subject, ip, station)
    select b.created_at, b.created_by, u.username, 'bill.create', 'ok', b.bill_id, '10.0.2.' || (b.id % 200), 'seed'
    from bills b left join users u on u.id = b.created_by`.execute(db);
  await sql`
    insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station)
    select p.bill_linked_at, p.bill_linked_by, u.username, 'bill.link', 'linked', p.code, b.bill_id, p.area_id, '10.0.2.' || (p.id % 200), 'seed'
    from bags p join bills b on b.id = p.bill_id left join users u on u.id = p.bill_linked_by`.execute(db);
  await sql`analyze bills`.execute(db);
  // Each bill's insert and update bumped a counter slot through its trigger: 140,000 updates of a
  // few rows at 2M bags leave ~830 pages, and every dashboard read scans them all; a site's
  // autovacuum keeps the table at a page or two. Rewritten compact, as a site would have it.
  await sql`vacuum full stat_bill_counters`.execute(db);
  return bills;
}
