-- The app's own statements of one child scan (ADR 0026) on the real tables, for
-- `pgbench -M extended` (variables travel as parameters, so :version needs no quotes): the
-- parent and the child read in one snapshot without locks, then one autocommitted call that
-- links, counts, claims the scanId and writes the history row if the parent is unchanged (the
-- server's call with one link, migrations/0021).
-- Each client fills its own parent (bench/ceiling.ts makes codes PGBP<client> with a capacity
-- no run reaches, so the script needs no branching).
\set r random(1, 9000000000000000)
select b.id as pid, b.created_by as actor, (select p.code from bags p where p.id = b.parent_id) parent_code,
    (select bl.bill_id from bills bl where bl.id = b.bill_id) bill_code, (select bl.status from bills bl where bl.id = b.bill_id) bill_status,
    b.xmin::text as version, true as is_parent from bags b where b.code = 'PGBP' || :client_id
union all
select b.id, b.created_by, (select p.code from bags p where p.id = b.parent_id) parent_code,
    (select bl.bill_id from bills bl where bl.id = b.bill_id) bill_code, (select bl.status from bills bl where bl.id = b.bill_id) bill_status,
    b.xmin::text, false from bags b where b.code = 'PGBC' || :r \gset
select (link_children_if_unchanged(jsonb_build_array(jsonb_build_object('i', 1, 'parent_id', :pid::bigint, 'parent_version', :version::text,
    'child_id', null, 'child_version', null, 'child_code', 'PGBC' || :r, 'child_kind', 'CHILD', 'at', now(), 'actor_id', :actor::bigint,
    'actor_name', 'pgbench', 'action', 'scan.child', 'outcome', 'linked', 'subject', 'PGBC' || :r, 'related', 'PGBP' || :client_id,
    'area_id', 'lucknow', 'ip', '127.0.0.1', 'station', 'pgbench', 'request_id', 'req-' || :r)
  || jsonb_build_object('details', jsonb_build_object('childCount', 1, 'capacity', 30, 'scanId', gen_random_uuid())::text,
    'user_id', :actor::bigint, 'scan_id', gen_random_uuid(), 'endpoint', 'scan.child', 'claim_outcome', 'linked',
    'response', '{"ok": {"outcome": "linked"}}'))))[1];
