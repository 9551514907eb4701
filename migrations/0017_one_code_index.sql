-- One index on bags.code instead of two (issue 14, docs/benchmarks.md ninth run).
--
-- bags_code_key (unique, default operator class) served exact look-ups and the scan's
-- `on conflict (code)`; bags_code_prefix_idx (text_pattern_ops) served prefix search
-- (`code like 'Q%'`, in any collation). A text_pattern_ops btree also holds `=`, so one unique
-- index of that class serves all three (bills_bill_id_key already does this for bill ids). No
-- read orders by code in SQL, which is the one thing only the default class could serve.
-- Every new bag wrote both: measured on the scan's SQL (bench/pg-ab.ts, 6 alternated pairs of
-- 10 s at 2M bags), dropping the second index saved 0.059 ms of PostgreSQL CPU per child scan
-- (-7%; 95% interval -0.091 … -0.028), and 123 MB of index.
-- Building the unique index reads the whole table once and holds off writes meanwhile (seconds
-- at 2M bags): run it outside a shift, like every migration.
create unique index bags_code_one_key on bags (code text_pattern_ops);
drop index bags_code_prefix_idx;
drop index bags_code_key;
alter index bags_code_one_key rename to bags_code_key;
