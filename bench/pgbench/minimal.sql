-- The minimal write set of one child scan (issue 14): lock the parent, insert the child, bump
-- the parent's count, one history row; one index on each table, one transaction. Tables are
-- made by bench/ceiling.ts in schema bench_min (parents 1..200, one per pgbench client).
\set r random(1, 9000000000000000)
begin;
select id, child_count, capacity, status from bench_min.bags where id = :client_id + 1 for update;
insert into bench_min.bags (code, type, parent_id, status) values ('MINC' || :r, 'child', :client_id + 1, 'linked');
update bench_min.bags set child_count = child_count + 1 where id = :client_id + 1;
insert into bench_min.events (actor_id, action, outcome, subject, related, details)
  values (1, 'scan.child', 'linked', 'MINC' || :r, 'MINP' || :client_id, '{"childCount": 1}');
commit;
