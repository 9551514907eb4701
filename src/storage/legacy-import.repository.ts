/**
 * Maps the staged legacy rows (legacy-source.repository.ts) into our tables, set-based, inside
 * the import's one transaction. Each step first writes a reason into `skip` for rows it will not
 * copy (already imported — what makes a second run copy nothing —, or breaking a rule of ours),
 * then copies the rest, and answers {copied, skipped: reason → count}.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from './database.js';

export interface StepResult {
  copied: number;
  skipped: Record<string, number>;
}

/** A step's skip reasons with how many staged rows each kept out (the returns step uses it too). */
export async function skipped(tx: Tx, staging: string): Promise<Record<string, number>> {
  const r = await sql<{
    skip: string;
    n: string;
  }>`select skip, count(*)::text as n from ${sql.table(staging)} where skip is not null group by skip order by skip`.execute(tx);
  return Object.fromEntries(r.rows.map((x) => [x.skip, Number(x.n)]));
}

/** Rows an insert copied. */
export const affected = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0n);

export async function importUsers(tx: Tx): Promise<StepResult> {
  await sql`alter table lg_user add column skip text`.execute(tx);
  await sql`update lg_user u set skip = case
      when exists (select 1 from users x where lower(x.username) = lower(u.username)) then 'already imported (same username)'
      when u.username !~ '^[A-Za-z0-9_.-]{3,32}$' then 'username not allowed here'
      when u.verified is false then 'never verified (could not log in)'
      when u.role not in ('admin', 'biller', 'dispatcher') then 'role ' || coalesce(u.role, 'none') || ' does not exist here'
      when u.role = 'dispatcher' and not exists (select 1 from areas a where a.id = u.dispatch_area) then 'dispatcher without a known dispatch area'
      when u.password_hash !~ '^(pbkdf2:|scrypt)' then 'password hash not werkzeug pbkdf2/scrypt'
      when exists (select 1 from lg_user o where lower(o.username) = lower(u.username) and o.id < u.id) then 'duplicate username (case)'
    end`.execute(tx);
  const r = await sql`insert into users (username, email, role, area_id, password_hash, created_at, updated_at)
    select username, nullif(lower(email), ''), role, case when role = 'dispatcher' then dispatch_area end, password_hash,
      coalesce(created_at at time zone 'UTC', now()), now()
    from lg_user where skip is null order by id`.execute(tx);
  await sql`create temp table lg_user_map on commit drop as
    select l.id as old_id, u.id as new_id, u.username from lg_user l join users u on lower(u.username) = lower(l.username)`.execute(tx);
  return { copied: affected(r), skipped: await skipped(tx, 'lg_user') };
}

export async function importBags(tx: Tx): Promise<StepResult> {
  await sql`alter table lg_bag add column skip text, add column code text, add column area text`.execute(tx);
  await sql`update lg_bag set code = upper(btrim(regexp_replace(qr_id, '\s+', ' ', 'g')))`.execute(tx);
  // Children took their parent's area in the old system; else the creator's area.
  await sql`update lg_bag b set area = coalesce(
      (select a.id from areas a where a.id = b.dispatch_area),
      (select a.id from lg_link l join lg_bag p on p.id = l.parent_bag_id join areas a on a.id = p.dispatch_area where l.child_bag_id = b.id limit 1),
      (select a.id from lg_user u join areas a on a.id = u.dispatch_area where u.id = b.user_id))`.execute(tx);
  await sql`update lg_bag b set skip = case
      when exists (select 1 from bags x where x.code = b.code) then 'already imported (same code)'
      when b.type not in ('parent', 'child') then 'type ' || coalesce(b.type, 'none') || ' unknown'
      when length(b.code) not between 1 and 255 then 'empty or too long code'
      when b.area is null then 'no known dispatch area'
      when exists (select 1 from lg_bag o where o.code = b.code and o.id < b.id) then 'duplicate code (case or spaces)'
    end`.execute(tx);
  const r =
    await sql`insert into bags (code, type, kind_id, area_id, status, child_count, capacity, created_by, created_at, updated_at, completed_at)
    select b.code, b.type, k.id, b.area,
      case when b.type = 'child' then 'unlinked' when b.status = 'completed' then 'completed' else 'pending' end, 0,
      case when b.type = 'parent' then greatest(coalesce(k.capacity, 30), (select count(*) from lg_link l where l.parent_bag_id = b.id)::int) end,
      m.new_id, coalesce(b.created_at at time zone 'UTC', now()), coalesce(b.updated_at at time zone 'UTC', now()),
      case when b.type = 'parent' and b.status = 'completed' then coalesce(b.updated_at at time zone 'UTC', now()) end
    from lg_bag b
    left join lg_user_map m on m.old_id = b.user_id
    left join lateral (select k.id, k.capacity from bag_kinds k where k.type = b.type and b.code ~ k.pattern order by k.position, k.id limit 1) k on true
    where b.skip is null order by b.id`.execute(tx);
  await sql`create temp table lg_bag_map on commit drop as
    select l.id as old_id, g.id as new_id, g.code, g.type from lg_bag l join bags g on g.code = l.code`.execute(tx);
  return { copied: affected(r), skipped: await skipped(tx, 'lg_bag') };
}

export async function importLinks(tx: Tx): Promise<StepResult> {
  await sql`alter table lg_link add column skip text`.execute(tx);
  await sql`update lg_link l set skip = case
      when c.new_id is null or p.new_id is null then 'parent or child not imported'
      when c.type <> 'child' or p.type <> 'parent' then 'not a parent-child pair'
      when exists (select 1 from bags x where x.id = c.new_id and x.parent_id is not null) then 'already linked'
      when exists (select 1 from lg_link o where o.child_bag_id = l.child_bag_id and o.id < l.id) then 'child linked twice (older link kept)'
    end
    from lg_link l2 left join lg_bag_map c on c.old_id = l2.child_bag_id left join lg_bag_map p on p.old_id = l2.parent_bag_id
    where l2.id = l.id`.execute(tx);
  const r =
    await sql`update bags c set parent_id = p.new_id, status = 'linked', linked_at = coalesce(l.created_at at time zone 'UTC', c.created_at), updated_at = now()
    from lg_link l join lg_bag_map cm on cm.old_id = l.child_bag_id join lg_bag_map p on p.old_id = l.parent_bag_id
    where l.skip is null and c.id = cm.new_id`.execute(tx);
  // Counters follow the links; capacity was sized for the old links when the parent came in.
  await sql`update bags p set child_count = (select count(*) from bags c where c.parent_id = p.id),
      capacity = greatest(p.capacity, (select count(*) from bags c where c.parent_id = p.id)::int)
    where p.id in (select new_id from lg_bag_map where type = 'parent')`.execute(tx);
  return { copied: affected(r), skipped: await skipped(tx, 'lg_link') };
}

export async function importBills(tx: Tx): Promise<StepResult> {
  await sql`alter table lg_bill add column skip text, add column code text`.execute(tx);
  await sql`update lg_bill set code = upper(btrim(regexp_replace(bill_id, '\s+', ' ', 'g')))`.execute(tx);
  await sql`update lg_bill b set skip = case
      when exists (select 1 from bills x where x.bill_id = b.code) then 'already imported (same bill id)'
      when b.code !~ '^[A-Z0-9_/.-][A-Z0-9 _/.-]{1,48}[A-Z0-9_/.-]$' then 'bill id not allowed here (3-50 of A-Z 0-9 space -_/.)'
      when exists (select 1 from lg_bill o where o.code = b.code and o.id < b.id) then 'duplicate bill id (case or spaces)'
    end`.execute(tx);
  const r = await sql`insert into bills (bill_id, capacity, description, destination, vehicle_number, created_by, created_at, updated_at)
    select b.code, least(500, greatest(1, coalesce(b.parent_bag_count, 1), (select count(*) from lg_bill_bag x where x.bill_id = b.id)::int)),
      left(nullif(b.description, ''), 200), left(nullif(b.destination, ''), 200), left(nullif(b.vehicle_number, ''), 50), m.new_id,
      coalesce(b.created_at at time zone 'UTC', now()), coalesce(b.updated_at at time zone 'UTC', now())
    from lg_bill b left join lg_user_map m on m.old_id = b.created_by_id where b.skip is null order by b.id`.execute(tx);
  await sql`create temp table lg_bill_map on commit drop as
    select l.id as old_id, g.id as new_id, l.status as old_status, l.updated_at, l.skip from lg_bill l join bills g on g.bill_id = l.code`.execute(
    tx,
  );
  return { copied: affected(r), skipped: await skipped(tx, 'lg_bill') };
}

/** Bill links; afterwards `tracetrack check --fix` recounts the bills (command layer). */
export async function importBillLinks(tx: Tx): Promise<StepResult> {
  await sql`alter table lg_bill_bag add column skip text`.execute(tx);
  await sql`update lg_bill_bag l set skip = case
      when b.new_id is null or p.new_id is null then 'bill or bag not imported'
      when p.type <> 'parent' then 'not a parent bag'
      when exists (select 1 from bags x where x.id = p.new_id and x.bill_id is not null) then 'already on a bill'
      when exists (select 1 from lg_bill_bag o where o.bag_id = l.bag_id and (o.created_at, o.id) < (l.created_at, l.id)) then 'parent on two bills (older link kept)'
    end
    from lg_bill_bag l2 left join lg_bill_map b on b.old_id = l2.bill_id left join lg_bag_map p on p.old_id = l2.bag_id
    where l2.id = l.id`.execute(tx);
  const r = await sql`update bags p set bill_id = b.new_id, bill_linked_at = coalesce(l.created_at at time zone 'UTC', now())
    from lg_bill_bag l join lg_bill_map b on b.old_id = l.bill_id join lg_bag_map pm on pm.old_id = l.bag_id
    where l.skip is null and p.id = pm.new_id`.execute(tx);
  return { copied: affected(r), skipped: await skipped(tx, 'lg_bill_bag') };
}

/** Bills the old system had completed (completed again here once recounted, if they have parents). */
export async function legacyCompletedBills(tx: Tx): Promise<Array<{ id: string; at: Date | null }>> {
  const r = await sql<{ id: string; at: Date | null }>`select m.new_id::text as id, m.updated_at at time zone 'UTC' as at
    from lg_bill_map m where m.skip is null and m.old_status = 'completed'`.execute(tx);
  return r.rows;
}

export async function completeBills(ex: Executor, bills: ReadonlyArray<{ id: string; at: Date | null }>): Promise<void> {
  for (const b of bills) {
    await sql`update bills set status = 'completed', completed_at = coalesce(${b.at}::timestamptz, now())
      where id = ${b.id} and parent_count > 0 and status <> 'completed'`.execute(ex);
  }
}

/** Scans and audit rows above the last imported id (kept in settings) become history rows. */
export async function importScans(tx: Tx): Promise<StepResult> {
  const r = await sql`insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, details)
    select s.timestamp at time zone 'UTC', m.new_id, coalesce(m.username, u.username),
      case when s.parent_bag_id is not null then 'scan.parent' else 'scan.child' end,
      case when s.parent_bag_id is not null then 'created' else 'linked' end,
      b.code, (select p.code from lg_link l join lg_bag p on p.id = l.parent_bag_id where l.child_bag_id = s.child_bag_id order by l.id limit 1),
      b.area, jsonb_build_object('legacy', jsonb_build_object('table', 'scan', 'id', s.id))
    from lg_scan s join lg_bag b on b.id = coalesce(s.parent_bag_id, s.child_bag_id)
    left join lg_user_map m on m.old_id = s.user_id left join lg_user u on u.id = s.user_id
    order by s.id`.execute(tx);
  const missing = await sql<{
    n: string;
  }>`select count(*)::text as n from lg_scan s where not exists (select 1 from lg_bag b where b.id = coalesce(s.parent_bag_id, s.child_bag_id))`.execute(
    tx,
  );
  const n = Number(missing.rows[0]!.n);
  return { copied: affected(r), skipped: n ? { 'bag no longer in the old database': n } : {} };
}

export async function importAudit(tx: Tx): Promise<StepResult> {
  const r = await sql`insert into events (at, actor_id, actor_name, action, outcome, subject, ip, request_id, details)
    select a.timestamp at time zone 'UTC', m.new_id, coalesce(m.username, u.username), 'legacy.' || left(lower(coalesce(a.action, 'unknown')), 50), 'ok',
      nullif(concat_ws(':', a.entity_type, a.entity_id), ''), a.ip_address, a.request_id,
      jsonb_build_object('legacy', jsonb_build_object('table', 'audit_log', 'id', a.id), 'details', a.details)
    from lg_audit a left join lg_user_map m on m.old_id = a.user_id left join lg_user u on u.id = a.user_id
    order by a.id`.execute(tx);
  return { copied: affected(r), skipped: {} };
}

export async function lastImportedId(tx: Tx, key: string): Promise<number> {
  const r = await sql<{ v: string }>`select value::text as v from settings where key = ${key}`.execute(tx);
  return r.rows[0] ? Number(r.rows[0].v) : 0;
}

export async function saveLastImportedId(tx: Tx, key: string, staging: string): Promise<void> {
  await sql`insert into settings (key, value, updated_at)
    select ${key}, to_jsonb(greatest(coalesce(max(id), 0), ${await lastImportedId(tx, key)})), now() from ${sql.table(staging)}
    on conflict (key) do update set value = excluded.value, updated_at = now()`.execute(tx);
}
