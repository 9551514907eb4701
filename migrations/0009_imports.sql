-- Imports (SPEC §10): one row per uploaded file, and its per-row report. An import is one
-- history entry (events action 'import', subject 'IMPORT <id>'); each bag it created or linked
-- gets an 'import.bag' history row naming the import in details.importId (ADR 0017).
create table imports (
  id          bigserial primary key,
  kind        text not null check (kind in ('bags', 'bills', 'label_batches', 'bill_batches')),
  file_name   text not null check (length(file_name) between 1 and 255),
  actor_id    bigint references users (id) on delete set null,
  actor_name  text,
  dry_run     boolean not null,
  status      text not null default 'running' check (status in ('running', 'done', 'failed')),
  rows        integer not null default 0 check (rows >= 0),
  created     integer not null default 0 check (created >= 0),
  linked      integer not null default 0 check (linked >= 0),
  skipped     integer not null default 0 check (skipped >= 0),
  failed      integer not null default 0 check (failed >= 0),
  -- The first errors, as the POST answered them (at most 100).
  errors      jsonb not null default '[]'::jsonb,
  created_at  timestamptz not null default now(),
  finished_at timestamptz
);
create index imports_created_at_idx on imports (created_at);

-- The report: one row per failed or skipped input row. Purged with its import's age (the
-- imports row and its history entries stay).
create table import_rows (
  import_id  bigint not null references imports (id) on delete cascade,
  row_no     integer not null,
  outcome    text not null check (outcome in ('failed', 'skipped')),
  code       text,
  error_code text not null,
  message    text not null,
  primary key (import_id, row_no)
);
