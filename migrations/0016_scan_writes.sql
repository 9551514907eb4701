-- A scan's writes as one statement (issue 14, docs/decisions/0026-unlocked-child-scan.md).
--
-- A scan reads the bags it needs in one statement, without locks, and the domain's rules
-- (domain/scans/scan-rules.ts) decide on that snapshot. One of these functions then writes the
-- decision, autocommitted, only if the rows it was decided on are unchanged: a row's xmin
-- changes with every update of it, so "xmin is still the one read" means "still the row the
-- rules saw". Each write ends with the scan's record (record_scan_attempt).
-- Results: 'done'; 'changed' (nothing was written: read again and decide again);
-- SQLSTATE TT001 (a row changed midway: everything is rolled back, read again);
-- SQLSTATE TT002 (the scanId was claimed by an earlier request: everything is rolled back, and
-- the caller replays that request's stored answer).
-- Every function ends with the record's 17 parameters in the order of recordParams
-- (storage/scan-requests.repository.ts): the history row, then the claim.

-- The scanId claim with its stored answer (when there is a scanId), then the history row.
create function record_scan_attempt(
  r_at timestamptz, r_actor_id bigint, r_actor_name text, r_action text, r_outcome text, r_subject text,
  r_related text, r_area_id text, r_ip text, r_station text, r_request_id text, r_details jsonb,
  r_user_id bigint, r_scan_id uuid, r_endpoint text, r_claim_outcome text, r_response jsonb
) returns void language plpgsql as $$
begin
  if r_scan_id is not null then
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    values (r_user_id, r_scan_id, r_endpoint, r_at, r_claim_outcome, r_response)
    on conflict (user_id, scan_id) do nothing;
    if not found then
      raise exception 'scanId % was already used', r_scan_id using errcode = 'TT002';
    end if;
  end if;
  insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
  values (r_at, r_actor_id, r_actor_name, r_action, r_outcome, r_subject, r_related, r_area_id, r_ip, r_station,
          r_request_id, r_details);
end $$;

-- A child scan: the parent's count (completing it at capacity: parentStatusAt, domain/bags/bag.ts),
-- the child new and linked or existing and now linked (in the parent's area: areaOfLinkedChild),
-- the record. Linked by the record's actor at the record's time. Parents on a bill never come
-- here (their bill is locked and counted too: the locked attempt).
create function link_child_if_unchanged(
  p_parent_id bigint, p_parent_version text,
  p_child_id bigint, p_child_version text, p_child_code text, p_child_kind text,
  r_at timestamptz, r_actor_id bigint, r_actor_name text, r_action text, r_outcome text, r_subject text,
  r_related text, r_area_id text, r_ip text, r_station text, r_request_id text, r_details jsonb,
  r_user_id bigint, r_scan_id uuid, r_endpoint text, r_claim_outcome text, r_response jsonb
) returns text language plpgsql as $$
declare
  parent_area text;
begin
  update bags set child_count = child_count + 1,
    status = case when child_count + 1 >= capacity then 'completed' else status end,
    completed_at = case when child_count + 1 >= capacity and status <> 'completed' then r_at else completed_at end,
    updated_at = r_at
  where id = p_parent_id and xmin::text = p_parent_version
  returning area_id into parent_area;
  if not found then
    return 'changed';
  end if;
  if p_child_id is null then
    insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at,
                      created_by, created_at, updated_at)
    values (p_child_code, 'child', p_child_kind, parent_area, 'linked', null, 0, p_parent_id, r_actor_id, r_at,
            r_actor_id, r_at, r_at)
    on conflict (code) do nothing;
  else
    update bags set parent_id = p_parent_id, status = 'linked', linked_by = r_actor_id, linked_at = r_at,
      area_id = parent_area, updated_at = r_at
    where id = p_child_id and xmin::text = p_child_version;
  end if;
  if not found then
    raise exception 'child % changed while it was scanned', p_child_code using errcode = 'TT001';
  end if;
  perform record_scan_attempt(r_at, r_actor_id, r_actor_name, r_action, r_outcome, r_subject, r_related, r_area_id,
                              r_ip, r_station, r_request_id, r_details, r_user_id, r_scan_id, r_endpoint,
                              r_claim_outcome, r_response);
  return 'done';
end $$;

-- A parent scan of a new code: the parent, created by the record's actor, and the record —
-- 'changed' (nothing written) when a bag has the code by now: the caller reads it (resumed).
create function create_parent_if_absent(
  p_code text, p_kind text, p_area text, p_capacity integer,
  r_at timestamptz, r_actor_id bigint, r_actor_name text, r_action text, r_outcome text, r_subject text,
  r_related text, r_area_id text, r_ip text, r_station text, r_request_id text, r_details jsonb,
  r_user_id bigint, r_scan_id uuid, r_endpoint text, r_claim_outcome text, r_response jsonb
) returns text language plpgsql as $$
begin
  insert into bags (code, type, kind_id, area_id, status, capacity, child_count, created_by, created_at, updated_at)
  values (p_code, 'parent', p_kind, p_area, 'pending', p_capacity, 0, r_actor_id, r_at, r_at)
  on conflict (code) do nothing;
  if not found then
    return 'changed';
  end if;
  perform record_scan_attempt(r_at, r_actor_id, r_actor_name, r_action, r_outcome, r_subject, r_related, r_area_id,
                              r_ip, r_station, r_request_id, r_details, r_user_id, r_scan_id, r_endpoint,
                              r_claim_outcome, r_response);
  return 'done';
end $$;
