-- Child links written together (issue 14, docs/decisions/0033-child-links-together.md).
--
-- A call of several links (migration 0018) ran each through link_child_if_unchanged in its own
-- subtransaction: four statements per link, and with each statement PostgreSQL prepared the ten
-- CHECK constraints of bags again and ran the counters' statement triggers (a profile of the
-- 8-user closed loop put a fifth of PostgreSQL's time in those two). Now one statement writes
-- all the links of a call (link_children_together):
--   - each parent's count moves if the parent is still the version read (of two links into one
--     parent only the first, by i: the second is 'changed'); only the links whose parent moved
--     go on: the child inserted (code free) or linked (still the version read), the scanId
--     claimed, the history row written;
--   - if fewer children or claims were written than parents counted (a code or a child taken, a
--     scanId claimed, by another transaction or by a second link of the same call), it raises
--     SQLSTATE TT001 / TT002 and nothing of the call stands; link_children_if_unchanged, which
--     runs it in a subtransaction, then writes the links one at a time as migration 0020 did,
--     each through link_child_if_unchanged in its own subtransaction.
-- A single link still goes through link_child_if_unchanged alone: written by this statement it
-- cost PostgreSQL 27% more than by that function's four small ones (docs/benchmarks.md, 13th run).
-- The answers are migration 0020's: per link at its i (1 … n, each once), 'done <the parent's
-- new xmin>' (every parent of one statement gets the subtransaction's xid), 'changed', 'child
-- changed' or 'taken'; any other error ends the whole call, and the caller sends the links one
-- by one.

create function link_children_together(p_links jsonb) returns text[] language plpgsql
  -- A generic plan: planning this statement afresh for every call cost more than it saved.
  set plan_cache_mode = force_generic_plan as $$
declare
  results text[] := array_fill('changed'::text, array[jsonb_array_length(p_links)]);
  got record;
begin
  with s as (
    select * from jsonb_to_recordset(p_links) as s(
      i integer, parent_id bigint, parent_version text, child_id bigint, child_version text, child_code text,
      child_kind text, at timestamptz, actor_id bigint, actor_name text, action text, outcome text, subject text,
      related text, area_id text, ip text, station text, request_id text, details text, user_id bigint, scan_id uuid,
      endpoint text, claim_outcome text, response text)
  ), first as (
    -- of two links into one parent, the first goes on (the second would find the parent changed)
    select distinct on (s.parent_id) * from s order by s.parent_id, s.i
  ), parent as (
    -- the count, completing the parent at capacity (parentStatusAt, domain/bags/bag.ts), if the
    -- parent is still the version read
    update bags b set child_count = b.child_count + 1,
      status = case when b.child_count + 1 >= b.capacity then 'completed' else b.status end,
      completed_at = case when b.child_count + 1 >= b.capacity and b.status <> 'completed' then s.at else b.completed_at end,
      updated_at = s.at
    from first s where b.id = s.parent_id and b.xmin::text = s.parent_version
    returning s.i, b.area_id, b.xmin::text as version
  ), link as (
    select s.*, p.area_id as parent_area from s join parent p on p.i = s.i
  ), new_child as (
    -- linked by the record's actor at the record's time, in the parent's area (areaOfLinkedChild)
    insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at,
                      created_by, created_at, updated_at)
    select l.child_code, 'child', l.child_kind, l.parent_area, 'linked', null, 0, l.parent_id, l.actor_id, l.at,
           l.actor_id, l.at, l.at
    from link l where l.child_id is null
    on conflict (code) do nothing
    returning 1
  ), old_child as (
    update bags c set parent_id = l.parent_id, status = 'linked', linked_by = l.actor_id, linked_at = l.at,
      area_id = l.parent_area, updated_at = l.at
    from link l
    where c.id = l.child_id and c.xmin::text = l.child_version
    returning 1
  ), claim as (
    -- the scanId with its stored answer, then the history row: record_scan_attempt's two rows
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    select l.user_id, l.scan_id, l.endpoint, l.at, l.claim_outcome, l.response::jsonb from link l where l.scan_id is not null
    on conflict (user_id, scan_id) do nothing
    returning 1
  ), history as (
    insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
    select l.at, l.actor_id, l.actor_name, l.action, l.outcome, l.subject, l.related, l.area_id, l.ip, l.station,
           l.request_id, l.details::jsonb
    from link l order by l.i
  )
  select (select count(*) from new_child) + (select count(*) from old_child) as children,
         (select count(*) from claim) as claims,
         (select count(*) from link where scan_id is not null) as claims_wanted,
         array_agg(p.i) as done, array_agg(p.version) as versions
  into got from parent p;
  if got.children < coalesce(array_length(got.done, 1), 0) then
    raise exception 'a child changed while it was scanned' using errcode = 'TT001';
  end if;
  if got.claims < got.claims_wanted then
    raise exception 'a scanId was already used' using errcode = 'TT002';
  end if;
  for k in 1 .. coalesce(array_length(got.done, 1), 0) loop
    results[got.done[k]] := 'done ' || got.versions[k];
  end loop;
  return results;
end $$;

-- Migration 0020's call, with the links of a call written together first.
create or replace function link_children_if_unchanged(p_links jsonb) returns text[] language plpgsql as $$
declare
  l record;
  results text[] := '{}';
begin
  if jsonb_array_length(p_links) > 1 then
    begin
      return link_children_together(p_links);
    exception when sqlstate 'TT001' or sqlstate 'TT002' then
      null; -- rolled back: one at a time below
    end;
  end if;
  for l in
    select * from jsonb_to_recordset(p_links) as s(
      i integer, parent_id bigint, parent_version text, child_id bigint, child_version text, child_code text, child_kind text,
      at timestamptz, actor_id bigint, actor_name text, action text, outcome text, subject text, related text, area_id text,
      ip text, station text, request_id text, details text, user_id bigint, scan_id uuid, endpoint text, claim_outcome text,
      response text)
  loop
    begin
      results[l.i] := link_child_if_unchanged(
        l.parent_id, l.parent_version, l.child_id, l.child_version, l.child_code, l.child_kind,
        l.at, l.actor_id, l.actor_name, l.action, l.outcome, l.subject, l.related, l.area_id, l.ip, l.station,
        l.request_id, l.details::jsonb, l.user_id, l.scan_id, l.endpoint, l.claim_outcome, l.response::jsonb);
    exception
      when sqlstate 'TT001' then results[l.i] := 'child changed';
      when sqlstate 'TT002' then results[l.i] := 'taken';
    end;
  end loop;
  return results;
end $$;
