-- A child link answers the parent's new row version (issue 14, docs/decisions/0032-remembered-parents.md).
--
-- A station fills one parent scan after scan. The server remembers each parent as its last link
-- left it (storage/known-parents.ts) and decides the next child scan into it on that, without
-- reading: the link below still applies only if the parent's xmin is the one given and the
-- child's code is free, so a parent changed by anyone else answers 'changed' and that scan reads
-- and decides again. For that the server needs the xmin the link gave the parent: 'done <xmin>'.
-- In a batch (link_children_if_unchanged, migration 0018) each link runs in a subtransaction,
-- and the row keeps that subtransaction's xid as its xmin: the value returned here.
-- Otherwise exactly migration 0016's function.
create or replace function link_child_if_unchanged(
  p_parent_id bigint, p_parent_version text,
  p_child_id bigint, p_child_version text, p_child_code text, p_child_kind text,
  r_at timestamptz, r_actor_id bigint, r_actor_name text, r_action text, r_outcome text, r_subject text,
  r_related text, r_area_id text, r_ip text, r_station text, r_request_id text, r_details jsonb,
  r_user_id bigint, r_scan_id uuid, r_endpoint text, r_claim_outcome text, r_response jsonb
) returns text language plpgsql as $$
declare
  parent_area text;
  parent_version text;
begin
  update bags set child_count = child_count + 1,
    status = case when child_count + 1 >= capacity then 'completed' else status end,
    completed_at = case when child_count + 1 >= capacity and status <> 'completed' then r_at else completed_at end,
    updated_at = r_at
  where id = p_parent_id and xmin::text = p_parent_version
  returning area_id, xmin::text into parent_area, parent_version;
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
  return 'done ' || parent_version;
end $$;

-- The batch call (migration 0018) tells the two kinds of 'changed' apart as the single call does
-- (where a changed child is SQLSTATE TT001): 'changed', the parent was not the version given;
-- 'child changed', the child was not (a known code: the parent as remembered may still be right).
create or replace function link_children_if_unchanged(p_links jsonb) returns text[] language plpgsql as $$
declare
  l record;
  results text[] := '{}';
begin
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
