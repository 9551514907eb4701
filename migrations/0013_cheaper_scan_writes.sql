-- Cheaper scan writes (issue 14, docs/benchmarks.md fourth run).
--
-- Contains-search index: fastupdate back on, with a small pending list. With fastupdate off
-- every new code cost its scan a synchronous GIN update of ~10 trigram posting lists; now new
-- codes go to the index's pending list and are merged in batches (by the insert that fills the
-- list, by VACUUM, or by gin_clean_pending_list). A search reads the pending list too, so it is
-- kept small (256 kB, a few thousand codes): the merge lands on one scan now and then, and a
-- contains search never scans a long list.
alter index bags_code_trgm_idx set (fastupdate = on, gin_pending_list_limit = 256);

-- The all-areas "recent scans" read walks events_pkey backwards: scans are nearly every event,
-- so it reads about as many rows as the partial index did. events_scans_area_idx stays (an area
-- with few scans must not walk the whole history); every other events index serves a read
-- (docs/benchmarks.md lists them).
drop index if exists events_scans_recent_idx;
