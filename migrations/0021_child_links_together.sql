-- Child links written together (issue 14, docs/decisions/0033-child-links-together.md).
--
-- A call of several links (migration 0018) ran each through link_child_if_unchanged in its own
-- subtransaction: four statements per link, and with each statement PostgreSQL prepared the ten
-- CHECK constraints of bags again and ran the counters' statement triggers (a profile of the
-- 8-user closed loop put a fifth of PostgreSQL's time in those two). Now a call is one read and
-- one statement for all of its links:
--   1. link_children_together reads what each link needs to apply — its parent (locked in id
--      order) still at the version given, its child's code free or the child at its version, its
--      scanId unclaimed — and decides in the links' order (by i) which apply, as if they had
--      gone one after another: a second link into the same parent is 'changed', a second link
--      of the same child code 'child changed', a second claim of the same scanId 'taken'.
--   2. One statement writes those that apply: the parents' counts, the children, the claims and
--      the history rows. If it wrote fewer children or claims than the read allowed, another
--      transaction got there in between: SQLSTATE TT001 / TT002, and nothing of the call stands.
--   3. link_children_if_unchanged tries that for all the links in one subtransaction; after a
--      TT001 or TT002 it writes them one at a time, each in its own, as before.
-- The answers are migration 0020's: per link at its i, 'done <the parent's new xmin>' (every
-- parent of one statement gets the subtransaction's xid), 'changed', 'child changed' or
-- 'taken'; any other error ends the whole call, and the caller sends the links one by one.
-- The server sends a single link the same way, so link_child_if_unchanged goes.

create function link_children_together(p_links jsonb) returns text[] language plpgsql
  -- A generic plan: planning this statement afresh for every call cost more than it saved.
  set plan_cache_mode = force_generic_plan as $$
declare
  l record;
  results text[] := '{}';
  todo integer[] := '{}';
  parents bigint[] := '{}';
  codes text[] := '{}';
  claims text[] := '{}';
  children_wanted integer := 0;
  claims_wanted integer := 0;
  got record;
begin
  for l in
    with s as (
      select * from jsonb_to_recordset(p_links) as s(i integer, parent_id bigint, parent_version text, child_id bigint,
        child_version text, child_code text, user_id bigint, scan_id uuid)
    ), p as (
      select b.id, b.xmin::text as version from bags b where b.id in (select parent_id from s)
      order by b.id for no key update of b
    )
    select s.i, s.parent_id, s.child_code, s.scan_id is not null as claims, s.user_id::text || ' ' || s.scan_id::text as claim,
      p.version is not distinct from s.parent_version as parent_ok,
      case when s.child_id is null then not exists (select from bags c where c.code = s.child_code)
           else exists (select from bags c where c.id = s.child_id and c.xmin::text = s.child_version) end as child_ok,
      s.scan_id is null or not exists (select from scan_requests r where r.user_id = s.user_id and r.scan_id = s.scan_id)
        as claim_ok
    from s left join p on p.id = s.parent_id
    order by s.i
  loop
    if not l.parent_ok or l.parent_id = any(parents) then
      results[l.i] := 'changed';
    elsif not l.child_ok or l.child_code = any(codes) then
      results[l.i] := 'child changed';
    elsif not l.claim_ok or l.claim = any(claims) then
      results[l.i] := 'taken';
    else
      todo := todo || l.i;
      parents := parents || l.parent_id;
      codes := codes || l.child_code;
      children_wanted := children_wanted + 1;
      if l.claims then
        claims := claims || l.claim;
        claims_wanted := claims_wanted + 1;
      end if;
    end if;
  end loop;
  if children_wanted = 0 then
    return results;
  end if;

  with s as (
    select * from jsonb_to_recordset(p_links) as s(
      i integer, parent_id bigint, child_id bigint, child_version text, child_code text, child_kind text,
      at timestamptz, actor_id bigint, actor_name text, action text, outcome text, subject text, related text, area_id text,
      ip text, station text, request_id text, details text, user_id bigint, scan_id uuid, endpoint text, claim_outcome text,
      response text)
    where s.i = any(todo)
  ), parent as (
    -- the count, completing the parent at capacity (parentStatusAt, domain/bags/bag.ts)
    update bags b set child_count = b.child_count + 1,
      status = case when b.child_count + 1 >= b.capacity then 'completed' else b.status end,
      completed_at = case when b.child_count + 1 >= b.capacity and b.status <> 'completed' then s.at else b.completed_at end,
      updated_at = s.at
    from s where b.id = s.parent_id
    returning s.i, b.area_id, b.xmin::text as version
  ), new_child as (
    -- linked by the record's actor at the record's time, in the parent's area (areaOfLinkedChild)
    insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at,
                      created_by, created_at, updated_at)
    select s.child_code, 'child', s.child_kind, p.area_id, 'linked', null, 0, s.parent_id, s.actor_id, s.at,
           s.actor_id, s.at, s.at
    from s join parent p on p.i = s.i where s.child_id is null
    on conflict (code) do nothing
    returning 1
  ), old_child as (
    update bags c set parent_id = s.parent_id, status = 'linked', linked_by = s.actor_id, linked_at = s.at,
      area_id = p.area_id, updated_at = s.at
    from s join parent p on p.i = s.i
    where c.id = s.child_id and c.xmin::text = s.child_version
    returning 1
  ), claim as (
    -- the scanId with its stored answer, then the history row: record_scan_attempt's two rows
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    select s.user_id, s.scan_id, s.endpoint, s.at, s.claim_outcome, s.response::jsonb from s where s.scan_id is not null
    on conflict (user_id, scan_id) do nothing
    returning 1
  ), history as (
    insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
    select s.at, s.actor_id, s.actor_name, s.action, s.outcome, s.subject, s.related, s.area_id, s.ip, s.station,
           s.request_id, s.details::jsonb
    from s order by s.i
  )
  select (select count(*) from new_child) + (select count(*) from old_child) as children,
         (select count(*) from claim) as claims, array_agg(p.i) as done, array_agg(p.version) as versions
  into got from parent p;
  if got.children < children_wanted then
    raise exception 'a child changed while the links were written' using errcode = 'TT001';
  end if;
  if got.claims < claims_wanted then
    raise exception 'a scanId was claimed while the links were written' using errcode = 'TT002';
  end if;
  for k in 1 .. array_length(got.done, 1) loop
    results[got.done[k]] := 'done ' || got.versions[k];
  end loop;
  return results;
end $$;

create or replace function link_children_if_unchanged(p_links jsonb) returns text[] language plpgsql as $$
declare
  results text[] := '{}';
  one jsonb;
begin
  begin
    return link_children_together(p_links);
  exception when sqlstate 'TT001' or sqlstate 'TT002' then
    if jsonb_array_length(p_links) = 1 then
      results[(p_links -> 0 ->> 'i')::integer] := case when sqlstate = 'TT001' then 'child changed' else 'taken' end;
      return results;
    end if;
  end;
  for one in select value from jsonb_array_elements(p_links) loop
    results[(one ->> 'i')::integer] := (link_children_if_unchanged(jsonb_build_array(one)))[(one ->> 'i')::integer];
  end loop;
  return results;
end $$;

drop function link_child_if_unchanged(
  bigint, text, bigint, text, text, text,
  timestamptz, bigint, text, text, text, text, text, text, text, text, text, jsonb, bigint, uuid, text, text, jsonb
);
