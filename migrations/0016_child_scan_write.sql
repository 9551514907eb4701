-- A child scan's writes as one statement (issue 14, docs/decisions/0026-unlocked-child-scan.md).
--
-- The scan reads the parent and the child in one statement, without locks, and the domain's
-- rules (domain/scans/scan-rules.ts) decide on that snapshot. This function then writes the
-- decision only if neither row has changed since: a row's xmin changes with every update of
-- it, so "xmin is still the one read" means "still the row the rules saw". Everything the
-- scan writes goes in this one call, autocommitted:
--   the parent's count (completing it at capacity: parentStatusAt, domain/bags/bag.ts),
--   the scanId claim with its stored answer (when the client sent a scanId),
--   the child, new and linked or existing and now linked (in the parent's area: areaOfLinkedChild),
--   the history row.
-- 'changed': the parent changed since it was read; nothing was written, read again.
-- SQLSTATE TT001: the child changed (another station took or created it); everything is rolled back.
-- SQLSTATE TT002: the scanId was claimed by an earlier request; everything is rolled back and
--                 the caller replays that request's stored answer.
-- Parents on a bill never come here (their bill is locked and counted too: the locked attempt).
create function link_child_if_unchanged(
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

  if p_scan_id is not null then
    insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
    values (p_actor_id, p_scan_id, p_endpoint, p_now, p_outcome, p_response)
    on conflict (user_id, scan_id) do nothing;
    if not found then
      raise exception 'scanId % was already used', p_scan_id using errcode = 'TT002';
    end if;
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

  insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
  values (p_now, p_actor_id, p_actor_name, p_action, p_outcome, p_subject, p_related, p_area_id, p_ip, p_station,
          p_request_id, p_details);
  return 'done';
end $$;
