-- Bills (SPEC §4): a truck's dispatch document, filled by scanning parent bags. The bill keeps
-- exact counters (parents, children, actual and expected weight) that every change moves in the
-- same transaction; `tracetrack check` recounts them from the links. A parent's bill is one
-- column on bags, so "one parent, one bill" holds by construction.

create table bills (
  id                     bigserial primary key,
  -- Stored normalised (upper case, single spaces, trimmed): the plain unique index below is
  -- uniqueness regardless of case. ASCII letters, digits, space and -_/. only (SPEC §2).
  bill_id                text not null check (
    bill_id ~ '^[A-Z0-9_/.-][A-Z0-9 _/.-]{1,48}[A-Z0-9_/.-]$' and bill_id !~ '  '),
  capacity               integer not null check (capacity between 1 and 500),
  description            text check (length(description) <= 200),
  destination            text check (length(destination) <= 200),
  vehicle_number         text check (length(vehicle_number) <= 50),
  status                 text not null default 'new' check (status in ('new', 'processing', 'completed')),
  parent_count           integer not null default 0 check (parent_count >= 0),
  child_count            integer not null default 0 check (child_count >= 0),
  actual_weight_kg       integer not null default 0 check (actual_weight_kg >= 0),
  expected_weight_kg     integer not null default 0 check (expected_weight_kg >= 0),
  created_by             bigint references users (id) on delete set null,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  completed_at           timestamptz,
  -- Set when an admin completed the bill with fewer parents than its capacity.
  completed_short_reason text check (length(completed_short_reason) between 1 and 500),
  -- Capacity can never be edited below what is linked, and linking stops at capacity.
  constraint bills_within_capacity check (parent_count <= capacity),
  -- new = no parents; a completed bill always has parents (an empty one cannot be completed).
  constraint bills_status_by_count check ((status = 'new') = (parent_count = 0)),
  constraint bills_completed_shape check ((status = 'completed') = (completed_at is not null)),
  constraint bills_short_reason_shape check (completed_short_reason is null or status = 'completed')
);
-- text_pattern_ops serves both the unique equality lookup and the list's prefix search (q).
create unique index bills_bill_id_key on bills (bill_id text_pattern_ops);
create index bills_status_idx on bills (status, id);
create index bills_created_at_idx on bills (created_at);
create index bills_created_by_idx on bills (created_by, id);

-- The link: which bill a parent is on, when and by whom. bill_linked_at orders the bill page.
alter table bags add column bill_id bigint references bills (id);
alter table bags add column bill_linked_at timestamptz;
alter table bags add column bill_linked_by bigint references users (id) on delete set null;
alter table bags add constraint bags_bill_shape check (
  (bill_id is null or type = 'parent') and (bill_id is null) = (bill_linked_at is null));
-- A bill's parents in link order (keyset paging, recounts, deleting a bill).
create index bags_bill_link_idx on bags (bill_id, bill_linked_at, id) where bill_id is not null;
