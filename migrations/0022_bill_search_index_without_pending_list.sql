-- Bills' contains-search index writes its entries at once (issue 14, docs/decisions/0036).
--
-- bills_bill_id_trgm_idx (0005) kept PostgreSQL's default, fastupdate = on: a new bill's trigrams
-- went to the index's pending list, and nothing here merges that list but VACUUM (the timer of
-- 0019 merges bags' index only). Every contains search on bills reads the whole list: on the 2M-bag
-- bench, after ~20 minutes of paced shifts (~7,900 new bills), 245 pending pages made each such
-- search take ~10 ms where it found nothing, and some ran into the look-up bound of 20 ms and
-- answered with no suggestions (docs/benchmarks.md, seventeenth run). Bills are created a few at a
-- time by billers, so each insert can afford its ~10 index entries: no pending list, no timer.
alter index bills_bill_id_trgm_idx set (fastupdate = off);
-- Turning it off does not empty what is already pending.
select gin_clean_pending_list('bills_bill_id_trgm_idx'::regclass);
