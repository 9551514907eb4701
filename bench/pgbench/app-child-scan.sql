-- The app's own statements of one child scan (docs/scanning.md) on the real tables, for
-- `pgbench -M extended`: parent locked + child read, child inserted + parent counted, history
-- row + scanId claim, in one transaction. Each client fills its own parent (bench/ceiling.ts
-- makes codes PGBP<client> with a capacity no run reaches, so the script needs no branching).
\set r random(1, 9000000000000000)
begin;
with parent as (select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code,
    (select bl.bill_id from bills bl where bl.id = b.bill_id) bill_code, (select bl.status from bills bl where bl.id = b.bill_id) bill_status,
    true as locked from bags b where b.code = 'PGBP' || :client_id for update of b)
select * from parent
union all
select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code,
    (select bl.bill_id from bills bl where bl.id = b.bill_id) bill_code, (select bl.status from bills bl where bl.id = b.bill_id) bill_status,
    false as locked from bags b where b.code = 'PGBC' || :r;
with child as (insert into bags (code, type, kind_id, area_id, status, child_count, parent_id, linked_by, linked_at, created_by, created_at, updated_at)
                 select 'PGBC' || :r, 'child', 'CHILD', p.area_id, 'linked', 0, p.id, p.created_by, now(), p.created_by, now(), now()
                 from bags p where p.code = 'PGBP' || :client_id
               on conflict (code) do nothing returning *),
     counted as (update bags set child_count = child_count + 1,
                   status = case when child_count + 1 >= capacity then 'completed' else status end,
                   completed_at = case when child_count + 1 >= capacity and status <> 'completed' then now() else completed_at end,
                   updated_at = now()
                 where code = 'PGBP' || :client_id and exists (select child.id from child) returning child_count, status)
select child.*, counted.child_count as parent_child_count, counted.status as parent_status from child, counted;
with history as (insert into events (at, actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, request_id, details)
    values (now(), 1, 'pgbench', 'scan.child', 'linked', 'PGBC' || :r, 'PGBP' || :client_id, 'lucknow', '127.0.0.1', 'pgbench', 'req-' || :r,
            jsonb_build_object('childCount', 1, 'capacity', 30, 'scanId', gen_random_uuid())))
insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response)
  values (1, gen_random_uuid(), 'scan.child', now(), 'linked', '{"ok": {"outcome": "linked"}}')
  on conflict (user_id, scan_id) do nothing returning scan_id;
commit;
