-- The app's own statements of one child scan (ADR 0026) on the real tables, for
-- `pgbench -M extended` (variables travel as parameters, so :version needs no quotes): the
-- parent and the child read in one snapshot without locks, then one autocommitted call that
-- links, counts, claims the scanId and writes the history row if the parent is unchanged.
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
select link_child_if_unchanged(:pid, :version, null, null, 'PGBC' || :r, 'CHILD',
    now(), :actor, 'pgbench', 'scan.child', 'linked', 'PGBC' || :r, 'PGBP' || :client_id, 'lucknow', '127.0.0.1', 'pgbench',
    'req-' || :r, jsonb_build_object('childCount', 1, 'capacity', 30, 'scanId', gen_random_uuid()),
    :actor, gen_random_uuid(), 'scan.child', 'linked', '{"ok": {"outcome": "linked"}}');
