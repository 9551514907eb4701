-- Scanning: bag kinds (reference data admins may edit), bags (parents and children in one
-- table, so a code is either one or the other), scanId idempotency and the secondary subject
-- of history events. Invariants live in constraints, so no code path can break them.

create table bag_kinds (
  id                 text primary key check (id ~ '^[A-Z0-9_]{1,32}$'),
  name               text not null,
  type               text not null check (type in ('parent', 'child')),
  -- A JavaScript regular expression matched against the normalised code.
  pattern            text not null check (length(pattern) between 1 and 500),
  -- Children per parent; child kinds have none.
  capacity           integer check (capacity between 1 and 10000),
  -- Parents: expected weight when full; children: the unit weight.
  expected_weight_kg integer not null check (expected_weight_kg >= 0),
  active             boolean not null default true,
  position           integer not null default 0,
  constraint bag_kinds_capacity_by_type check ((type = 'parent') = (capacity is not null))
);

insert into bag_kinds (id, name, type, pattern, capacity, expected_weight_kg, position) values
  ('SB', 'Mustard', 'parent', '^SB\d{5}$', 30, 30, 1),
  ('M444', 'Moong', 'parent', '^M444-\d{5}$', 15, 15, 2),
  ('CHILD', 'Child', 'child', '^[A-Z0-9]{4,20}$', null, 1, 3);

create table bags (
  id           bigserial primary key,
  -- Stored normalised (upper case), so the plain unique index is case-insensitive uniqueness.
  code         text not null check (code = upper(code) and length(code) between 1 and 255),
  type         text not null check (type in ('parent', 'child')),
  -- Null only for imported legacy bags whose code matches no kind.
  kind_id      text references bag_kinds (id),
  area_id      text not null references areas (id),
  status       text not null,
  child_count  integer not null default 0 check (child_count >= 0),
  -- Copied from the kind when the parent is created: editing a kind never changes old bags.
  capacity     integer check (capacity > 0),
  -- One column, so a child has at most one parent by construction.
  parent_id    bigint references bags (id),
  linked_by    bigint references users (id) on delete set null,
  linked_at    timestamptz,
  created_by   bigint references users (id) on delete set null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  completed_at timestamptz,
  constraint bags_within_capacity check (capacity is null or child_count <= capacity),
  constraint bags_status_by_type check (
    (type = 'parent' and status in ('pending', 'completed'))
    or (type = 'child' and status in ('unlinked', 'linked'))),
  constraint bags_parent_shape check (type = 'child' or (parent_id is null and capacity is not null)),
  constraint bags_child_shape check (type = 'parent' or (child_count = 0 and capacity is null)),
  constraint bags_link_shape check (
    type = 'parent' or ((parent_id is not null) = (status = 'linked') and (parent_id is null) = (linked_at is null)))
);
create unique index bags_code_key on bags (code);
-- "Most recent link on a parent" (undo) and a parent's children, newest first.
create index bags_parent_link_idx on bags (parent_id, linked_at desc, id desc) where parent_id is not null;

-- One row per (user, scanId): the first request claims it inside its scan transaction and
-- stores its answer; a retry with the same scanId gets that answer back and changes nothing.
create table scan_requests (
  user_id    bigint not null references users (id) on delete cascade,
  scan_id    uuid not null,
  endpoint   text not null,
  -- The outcome or error code of the stored answer; null only inside the claiming transaction.
  outcome    text,
  response   jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, scan_id)
);
create index scan_requests_created_at_idx on scan_requests (created_at);

-- A secondary subject: the parent's code on child link/unlink events. A bag's timeline is
-- "subject = code or related = code", both indexed.
alter table events add column related text;
create index events_related_idx on events (related, id) where related is not null;
