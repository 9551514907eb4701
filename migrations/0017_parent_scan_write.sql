-- A parent scan's writes as one statement too (issue 14, docs/decisions/0026), and the record of
-- a scan (claim, then history row) in one place for both scan writes.

-- The scanId claim with its stored answer (when there is a scanId), then the history row.
-- SQLSTATE TT002 when an earlier request holds the scanId: the caller's statement rolls back.
create function record_scan_attempt(
  p_actor_id bigint, p_now timestamptz,
  p_actor_name text, p_action text, p_outcome text, p_subject text, p_related text, p_area_id text,
  p_ip text, p_station text, p_request_id text, p_details jsonb,
  p_scan_id uuid, p_endpoint text, p_response jsonb
) returns void language plpgsql as $$
begin
  if p_scan_id is not null then
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    values (p_actor_id, p_scan_id, p_endpoint, p_now, p_outcome, p_response)
    on conflict (user_id, scan_id) do nothing;
    if not found then
      raise exception 'scanId % was already used', p_scan_id using errcode = 'TT002';
    end if;
  end if;
  insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
  values (p_now, p_actor_id, p_actor_name, p_action, p_outcome, p_subject, p_related, p_area_id, p_ip, p_station,
          p_request_id, p_details);
end $$;

-- The child scan's write (0016), now recording through record_scan_attempt.
create or replace function link_child_if_unchanged(
  p_parent_id bigint, p_parent_version text,
  p_child_id bigint, p_child_version text, p_child_code text, p_child_kind text,
  p_actor_id bigint, p_now timestamptz,
  p_actor_name text, p_action text, p_outcome text, p_subject text, p_related text, p_area_id text,
  p_ip text, p_station text, p_request_id text, p_details jsonb,
  p_scan_id uuid, p_endpoint text, p_response jsonb
) returns text language plpgsql as $$
declare
  parent_area text;
begin
  update bags set child_count = child_count + 1,
    status = case when child_count + 1 >= capacity then 'completed' else status end,
    completed_at = case when child_count + 1 >= capacity and status <> 'completed' then p_now else completed_at end,
    updated_at = p_now
  where id = p_parent_id and xmin::text = p_parent_version
  returning area_id into parent_area;
  if not found then
    return 'changed';
  end if;
  if p_child_id is null then
    insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at,
                      created_by, created_at, updated_at)
    values (p_child_code, 'child', p_child_kind, parent_area, 'linked', null, 0, p_parent_id, p_actor_id, p_now,
            p_actor_id, p_now, p_now)
    on conflict (code) do nothing;
  else
    update bags set parent_id = p_parent_id, status = 'linked', linked_by = p_actor_id, linked_at = p_now,
      area_id = parent_area, updated_at = p_now
    where id = p_child_id and xmin::text = p_child_version;
  end if;
  if not found then
    raise exception 'child % changed while it was scanned', p_child_code using errcode = 'TT001';
  end if;
  perform record_scan_attempt(p_actor_id, p_now, p_actor_name, p_action, p_outcome, p_subject, p_related, p_area_id,
                              p_ip, p_station, p_request_id, p_details, p_scan_id, p_endpoint, p_response);
  return 'done';
end $$;

-- A new parent, with the scan's record, if no bag has its code yet: 'changed' (nothing written)
-- when one has, and the caller reads it and decides again (usually: resumed).
create function create_parent_if_absent(
  p_code text, p_kind text, p_area text, p_capacity integer,
  p_actor_id bigint, p_now timestamptz,
  p_actor_name text, p_action text, p_outcome text, p_subject text, p_related text, p_area_id text,
  p_ip text, p_station text, p_request_id text, p_details jsonb,
  p_scan_id uuid, p_endpoint text, p_response jsonb
) returns text language plpgsql as $$
begin
  insert into bags (code, type, kind_id, area_id, status, capacity, child_count, created_by, created_at, updated_at)
  values (p_code, 'parent', p_kind, p_area, 'pending', p_capacity, 0, p_actor_id, p_now, p_now)
  on conflict (code) do nothing;
  if not found then
    return 'changed';
  end if;
  perform record_scan_attempt(p_actor_id, p_now, p_actor_name, p_action, p_outcome, p_subject, p_related, p_area_id,
                              p_ip, p_station, p_request_id, p_details, p_scan_id, p_endpoint, p_response);
  return 'done';
end $$;
