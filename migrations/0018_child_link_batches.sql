-- Child-scan writes in batches (issue 14, docs/decisions/0030-scan-call-batches.md).
--
-- A server that has its child-scan writes in flight holds the next ones and sends them together:
-- one call, one transaction, one commit for all of them. Each link is exactly the single call
-- (link_child_if_unchanged, migration 0016) in its own subtransaction, so one that changed or
-- whose scanId was taken is rolled back alone and reported, and the others stand.
-- p_links: a JSON array of objects, one per link: i (its 1-based place in the answer), the
-- link's six parameters and the record's seventeen, named as the single call's parameters
-- without their p_ / r_ prefixes (details and response as JSON text).
-- Result: one entry per link at its i: 'done', 'changed' (nothing of it was written: read again)
-- or 'taken' (its scanId was claimed by an earlier request: replay that answer).
-- Any other error ends the whole call, and the caller sends the links one by one.
create function link_children_if_unchanged(p_links jsonb) returns text[] language plpgsql as $$
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
      when sqlstate 'TT001' then results[l.i] := 'changed';
      when sqlstate 'TT002' then results[l.i] := 'taken';
    end;
  end loop;
  return results;
end $$;
