-- Look-up and live overview (issue 5): search indexes, list indexes, the recent-scans index,
-- and the dashboard counters (docs/decisions/0009-dashboard-counters.md).

-- Search: exact = bags_code_key; prefix = a text_pattern_ops btree (LIKE 'Q%' in any
-- collation, ordered); contains = a trigram GIN. pg_trgm ships with PostgreSQL's contrib and
-- with PGlite (loaded in storage/database.ts). fastupdate off: a pending-list flush would land
-- on one unlucky scan as a latency spike; a direct GIN insert costs every scan a little instead.
create extension if not exists pg_trgm;
create index bags_code_prefix_idx on bags (code text_pattern_ops);
create index bags_code_trgm_idx on bags using gin (code gin_trgm_ops) with (fastupdate = off);
-- Bills (0003) already have a text_pattern_ops unique index for exact and prefix look-ups.
create index bills_bill_id_trgm_idx on bills using gin (bill_id gin_trgm_ops);

-- Bag list, newest first, keyset-paged on (created_at, id): all bags, one area (dispatchers
-- always), one creator ("scanned by").
create index bags_created_idx on bags (created_at, id);
create index bags_area_created_idx on bags (area_id, created_at, id);
create index bags_creator_created_idx on bags (created_by, created_at, id) where created_by is not null;
-- Parents are ~4% of bags and the list most asked for: a newest-first walk of all bags would
-- read ~25 children per parent shown. Partial, so a child scan (the bulk of inserts) skips them.
create index bags_parents_created_idx on bags (created_at, id) where type = 'parent';
create index bags_parents_area_created_idx on bags (area_id, created_at, id) where type = 'parent';

-- Recent scans, newest first: all areas, or one.
create index events_scans_recent_idx on events (id) where action in ('scan.parent', 'scan.child');
create index events_scans_area_idx on events (area_id, id) where action in ('scan.parent', 'scan.child');

-- Dashboard counters, sharded: each write adds to the slot of its database connection
-- (backend pid mod 64), so 200 concurrent scanners do not queue on one row lock (two
-- transactions of one connection never overlap); a read sums at most areas × 64 small rows.
-- fillfactor 10: each counter row has room on its page for its next versions, so updates stay
-- HOT and are pruned on the page, and the tables stay a few pages even where autovacuum is off
-- (measured: without it, 30k updates grew 147 counter rows from 16 kB to 3.4 MB).
-- Triggers keep them, so every write path (scans, deletes, imports, seeds, bills) is counted
-- in the same transaction and a recount always agrees (tracetrack check).
create table stat_bag_counters (
  area_id     text not null,
  slot        smallint not null check (slot between 0 and 63),
  parent_bags bigint not null default 0,
  child_bags  bigint not null default 0,
  primary key (area_id, slot)
) with (fillfactor = 10);

-- Accepted scans per day of the display time zone (stat_zone) and area ('' = none named).
create table stat_scan_days (
  day     date not null,
  area_id text not null,
  slot    smallint not null check (slot between 0 and 63),
  scans   bigint not null default 0,
  primary key (day, area_id, slot)
) with (fillfactor = 10);

-- The zone stat_scan_days is keyed by: DISPLAY_TIMEZONE, written by the app at start
-- (storage/dashboard.repository.ts syncCounterZone rebuilds the days when it changes).
create table stat_zone (
  id   boolean primary key default true check (id),
  zone text not null
);
insert into stat_zone (zone) values ('Asia/Kolkata');

-- Bills by status: few rows change, but a bill page and a dashboard read must not count 70k.
create table stat_bill_counters (
  slot             smallint primary key check (slot between 0 and 63),
  new_bills        bigint not null default 0,
  processing_bills bigint not null default 0,
  completed_bills  bigint not null default 0
) with (fillfactor = 10);

create function stat_bags_inserted() returns trigger language plpgsql as $$
begin
  insert into stat_bag_counters as c (area_id, slot, parent_bags, child_bags)
  select area_id, (pg_backend_pid() % 64)::smallint, count(*) filter (where type = 'parent'), count(*) filter (where type = 'child')
  from new_bags group by area_id
  on conflict (area_id, slot) do update
    set parent_bags = c.parent_bags + excluded.parent_bags, child_bags = c.child_bags + excluded.child_bags;
  return null;
end $$;

create function stat_bags_deleted() returns trigger language plpgsql as $$
begin
  insert into stat_bag_counters as c (area_id, slot, parent_bags, child_bags)
  select area_id, (pg_backend_pid() % 64)::smallint, -count(*) filter (where type = 'parent'), -count(*) filter (where type = 'child')
  from old_bags group by area_id
  on conflict (area_id, slot) do update
    set parent_bags = c.parent_bags + excluded.parent_bags, child_bags = c.child_bags + excluded.child_bags;
  return null;
end $$;

-- A child linked into a parent of another area takes that area: one count moves. Both rows
-- are written by one statement in area order, so two opposite moves cannot deadlock.
create function stat_bag_moved() returns trigger language plpgsql as $$
declare
  s smallint := (pg_backend_pid() % 64)::smallint;
  p bigint := case when new.type = 'parent' then 1 else 0 end;
begin
  insert into stat_bag_counters as c (area_id, slot, parent_bags, child_bags)
  select m.area_id, s, m.sign * p, m.sign * (1 - p)
  from (values (old.area_id, -1), (new.area_id, 1)) as m (area_id, sign)
  order by m.area_id
  on conflict (area_id, slot) do update
    set parent_bags = c.parent_bags + excluded.parent_bags, child_bags = c.child_bags + excluded.child_bags;
  return null;
end $$;

create function stat_events_inserted() returns trigger language plpgsql as $$
begin
  insert into stat_scan_days as d (day, area_id, slot, scans)
  select (e.at at time zone z.zone)::date, coalesce(e.area_id, ''), (pg_backend_pid() % 64)::smallint, count(*)
  from new_events e cross join stat_zone z
  where e.action in ('scan.parent', 'scan.child') and e.outcome in ('created', 'resumed', 'linked', 'already_linked')
  group by 1, 2
  on conflict (day, area_id, slot) do update set scans = d.scans + excluded.scans;
  return null;
end $$;

create function stat_bills_changed() returns trigger language plpgsql as $$
declare
  d_new bigint := 0;
  d_processing bigint := 0;
  d_completed bigint := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    case old.status
      when 'new' then d_new := d_new - 1;
      when 'processing' then d_processing := d_processing - 1;
      else d_completed := d_completed - 1;
    end case;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    case new.status
      when 'new' then d_new := d_new + 1;
      when 'processing' then d_processing := d_processing + 1;
      else d_completed := d_completed + 1;
    end case;
  end if;
  insert into stat_bill_counters as c (slot, new_bills, processing_bills, completed_bills)
  values ((pg_backend_pid() % 64)::smallint, d_new, d_processing, d_completed)
  on conflict (slot) do update set new_bills = c.new_bills + excluded.new_bills,
    processing_bills = c.processing_bills + excluded.processing_bills, completed_bills = c.completed_bills + excluded.completed_bills;
  return null;
end $$;

create trigger bags_count_insert after insert on bags
  referencing new table as new_bags for each statement execute function stat_bags_inserted();
create trigger bags_count_delete after delete on bags
  referencing old table as old_bags for each statement execute function stat_bags_deleted();
create trigger bags_count_move after update of area_id on bags
  for each row when (old.area_id is distinct from new.area_id) execute function stat_bag_moved();
create trigger events_count_scans after insert on events
  referencing new table as new_events for each statement execute function stat_events_inserted();
create trigger bills_count_insert_delete after insert or delete on bills
  for each row execute function stat_bills_changed();
create trigger bills_count_status after update of status on bills
  for each row when (old.status is distinct from new.status) execute function stat_bills_changed();

-- Existing data (a deployment upgrading to this version) starts counted.
insert into stat_bag_counters (area_id, slot, parent_bags, child_bags)
select area_id, 0, count(*) filter (where type = 'parent'), count(*) filter (where type = 'child') from bags group by area_id;
insert into stat_scan_days (day, area_id, slot, scans)
select (e.at at time zone 'Asia/Kolkata')::date, coalesce(e.area_id, ''), 0, count(*)
from events e
where e.action in ('scan.parent', 'scan.child') and e.outcome in ('created', 'resumed', 'linked', 'already_linked')
group by 1, 2;
insert into stat_bill_counters (slot, new_bills, processing_bills, completed_bills)
select 0, count(*) filter (where status = 'new'), count(*) filter (where status = 'processing'), count(*) filter (where status = 'completed')
from bills;
