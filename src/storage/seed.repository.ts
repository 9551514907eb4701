/**
 * Demo and benchmark data, written set-based (generate_series), never one request per row:
 * users, parents of both kinds (full, partly filled, empty), their children, unlinked children,
 * legacy-style codes and ~1.5 history rows per bag spread over 90 days. Counters are set from
 * the rows themselves, so `tracetrack check` agrees. Bills are added by seed-bills.repository.ts.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

export interface SeedPlan {
  bags: number;
  users: number;
  /** Password hash shared by all seeded users (one argon2 hash, not 300). */
  passwordHash: string;
  days: number;
}

export interface SeedCounts {
  parents: number;
  children: number;
  legacy: number;
  users: number;
  events: number;
}

/** Roughly one parent for every 26 bags: full sacks of 30 and 15 plus some loose children. */
export function planParents(bags: number) {
  const parents = Math.max(2, Math.round(bags / 26));
  const sb = Math.round(parents * 0.65);
  if (sb > 100_000 || parents - sb > 100_000) throw new Error('more parents than the SB/M444 code space holds');
  return { parents, sb, m444: parents - sb, legacy: Math.max(1, Math.round(bags * 0.002)) };
}

export async function seedBags(db: Db, plan: SeedPlan): Promise<SeedCounts> {
  const p = planParents(plan.bags);
  // Enough billers for a 200-user load run (bench_user_1…222 of 300); the rest are dispatchers.
  const nBillers = Math.ceil(plan.users * 0.74);
  await sql`create temporary sequence if not exists seed_child_seq`.execute(db);

  // Users: bench_user_N are billers (the load generator logs in as them), bench_disp_N dispatchers.
  await sql`
    insert into users (username, role, area_id, password_hash)
    select case when g <= ${nBillers} then 'bench_user_' || g else 'bench_disp_' || (g - ${nBillers}) end,
           case when g <= ${nBillers} then 'biller' else 'dispatcher' end,
           case when g <= ${nBillers} then null else (select id from areas order by position offset (g % 10) limit 1) end,
           ${plan.passwordHash}
    from generate_series(1, ${plan.users}) g
    on conflict do nothing`.execute(db);

  // Parents, spread over the areas; fill: 5% empty, 15% partly filled, 80% full.
  await sql`
    insert into bags (code, type, kind_id, area_id, status, capacity, created_by, created_at, updated_at)
    select case when g <= ${p.sb} then 'SB' || lpad((g - 1)::text, 5, '0') else 'M444-' || lpad((g - ${p.sb} - 1)::text, 5, '0') end,
           'parent',
           case when g <= ${p.sb} then 'SB' else 'M444' end,
           a.ids[1 + g % array_length(a.ids, 1)],
           'pending',
           case when g <= ${p.sb} then 30 else 15 end,
           u.ids[1 + g % array_length(u.ids, 1)],
           now() - make_interval(secs => (random() * ${plan.days} * 86400)::int),
           now()
    from generate_series(1, ${p.parents}) g,
         (select array_agg(id order by position) ids from areas where active) a,
         (select array_agg(id) ids from users) u
    on conflict (code) do nothing`.execute(db);

  const fill = sql`case when p.id % 20 = 0 then 0 when p.id % 20 < 4 then 1 + (p.id * 7919) % (p.capacity - 1) else p.capacity end`;
  await sql`
    insert into bags (code, type, kind_id, area_id, status, parent_id, linked_by, linked_at, created_by, created_at, updated_at)
    select 'C' || lpad(nextval('seed_child_seq')::text, 9, '0'), 'child', 'CHILD', p.area_id, 'linked', p.id,
           p.created_by, p.created_at + make_interval(secs => s * 20), p.created_by, p.created_at + make_interval(secs => s * 20), now()
    from bags p cross join lateral generate_series(1, ${fill}) s
    where p.type = 'parent' and p.child_count = 0`.execute(db);

  await sql`
    update bags p set child_count = c.n,
           status = case when c.n = p.capacity then 'completed' else 'pending' end,
           completed_at = case when c.n = p.capacity then c.last else null end
    from (select parent_id, count(*)::int n, max(linked_at) last from bags where parent_id is not null group by parent_id) c
    where p.id = c.parent_id`.execute(db);

  const counted = await sql<{ parents: string; children: string }>`
    select count(*) filter (where type = 'parent') parents, count(*) filter (where type = 'child') children from bags`.execute(db);
  const have = Number(counted.rows[0]!.parents) + Number(counted.rows[0]!.children);
  const loose = Math.max(0, plan.bags - have - p.legacy);
  await sql`
    insert into bags (code, type, kind_id, area_id, status, created_by, created_at, updated_at)
    select 'C' || lpad(nextval('seed_child_seq')::text, 9, '0'), 'child', 'CHILD', a.ids[1 + g % array_length(a.ids, 1)], 'unlinked',
           null, now() - make_interval(secs => (random() * ${plan.days} * 86400)::int), now()
    from generate_series(1, ${loose}) g, (select array_agg(id order by position) ids from areas where active) a`.execute(db);
  // Imported legacy codes that match no pattern (accepted for lookups and linking, SPEC §2).
  await sql`
    insert into bags (code, type, kind_id, area_id, status, created_at, updated_at)
    select 'PAWAN GODARA ' || lpad(g::text, 6, '0'), 'child', null, a.ids[1 + g % array_length(a.ids, 1)], 'unlinked', now() - interval '200 days', now()
    from generate_series(1, ${p.legacy}) g, (select array_agg(id order by position) ids from areas where active) a
    on conflict (code) do nothing`.execute(db);

  // History: a created event per parent, a linked event per linked child, and refused or
  // repeated attempts to bring the total to ~1.5 rows per bag.
  await sql`
    insert into events (at, actor_id, actor_name, action, outcome, subject, area_id, ip, station)
    select b.created_at, b.created_by, u.username, 'scan.parent', 'created', b.code, b.area_id, '10.0.0.' || (b.id % 200), 'seed'
    from bags b left join users u on u.id = b.created_by where b.type = 'parent'`.execute(db);
  await sql`
    insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station)
    select c.linked_at, c.linked_by, u.username, 'scan.child', 'linked', c.code, p.code, c.area_id, '10.0.0.' || (c.id % 200), 'seed'
    from bags c join bags p on p.id = c.parent_id left join users u on u.id = c.linked_by`.execute(db);
  const extra = Math.max(0, Math.round(plan.bags * 0.575)); // brings history to ~1.5 rows a bag with the bills' events
  await sql`
    insert into events (at, actor_id, actor_name, action, outcome, subject, area_id, ip, station)
    select now() - make_interval(secs => (random() * ${plan.days} * 86400)::int),
           u.ids[1 + g % array_length(u.ids, 1)], u.names[1 + g % array_length(u.ids, 1)], 'scan.child',
           (array['already_linked','already_linked_other_parent','parent_full','invalid_format','wrong_bag_type'])[1 + g % 5],
           'C' || lpad((g * 37 % 1000000)::text, 9, '0'), u.areas[1 + g % array_length(u.ids, 1)], '10.0.1.' || (g % 200), 'seed'
    from generate_series(1, ${extra}) g,
         (select array_agg(id order by id) ids, array_agg(username order by id) names, array_agg(area_id order by id) areas from users) u`.execute(
    db,
  );

  await sql`analyze bags`.execute(db);
  await sql`analyze events`.execute(db);
  const totals = await sql<{ parents: string; children: string; legacy: string; users: string; events: string }>`
    select (select count(*) from bags where type = 'parent') parents,
           (select count(*) from bags where type = 'child' and kind_id is not null) children,
           (select count(*) from bags where kind_id is null) legacy,
           (select count(*) from users) users,
           (select count(*) from events) events`.execute(db);
  const t = totals.rows[0]!;
  return { parents: +t.parents, children: +t.children, legacy: +t.legacy, users: +t.users, events: +t.events };
}
