-- Scheduled jobs that must run once across all processes and machines (purges, reports):
-- a process claims a job's next run by moving last_run_at forward with one conditional
-- upsert; whoever's statement wins runs it, the others skip (domain/housekeeping).
create table job_runs (
  name text primary key,
  last_run_at timestamptz not null
);
