-- Returns (SPEC §11): dealers send parent bags back; each return is a ticket. Returning a parent
-- takes it off its bill (the bill's counters move in the same transaction) and puts it on the
-- ticket with the figures it had. History actions: return.create, return.add, return.remove,
-- return.commit, return.cancel (docs/decisions/0018-returns.md).

create table return_tickets (
  id          bigserial primary key,
  -- RTN-YYYYMMDD-XXXX: the date in the display time zone, four upper-case hex digits.
  code        text not null check (code ~ '^RTN-[0-9]{8}-[0-9A-F]{4}$'),
  status      text not null default 'open' check (status in ('open', 'committed', 'cancelled')),
  area_id     text not null references areas (id),
  notes       text check (length(notes) <= 500),
  -- Exact counters of the bags on the ticket (removed ones excluded), moved by deltas in the
  -- transaction of each change; `tracetrack check` recounts them from return_ticket_bags.
  bag_count   integer not null default 0 check (bag_count >= 0),
  child_count integer not null default 0 check (child_count >= 0),
  weight_kg   integer not null default 0 check (weight_kg >= 0),
  created_by  bigint references users (id) on delete set null,
  created_at  timestamptz not null default now(),
  closed_at   timestamptz,
  constraint return_tickets_closed_shape check ((status = 'open') = (closed_at is null)),
  constraint return_tickets_committed_has_bags check (status <> 'committed' or bag_count > 0)
);
create unique index return_tickets_code_key on return_tickets (code);
create index return_tickets_status_idx on return_tickets (status, id);

-- One row per bag put on a ticket. `state` follows the ticket (open → committed | cancelled)
-- or says the bag was taken off an open ticket (removed). The partial unique index is the rule
-- "a parent is on at most one open ticket", whatever races.
create table return_ticket_bags (
  id                 bigserial primary key,
  ticket_id          bigint not null references return_tickets (id),
  bag_id             bigint not null references bags (id),
  state              text not null default 'open' check (state in ('open', 'committed', 'cancelled', 'removed')),
  -- The bill it was taken from: the code always, the row while that bill exists.
  original_bill_id   bigint references bills (id) on delete set null,
  original_bill_code text not null,
  -- The parent's figures when returned (the ticket counts these).
  child_count        integer not null check (child_count >= 0),
  weight_kg          integer not null check (weight_kg >= 0),
  -- The bill's figures just before and just after the parent left it.
  bill_before        jsonb not null,
  bill_after         jsonb not null,
  added_by           bigint references users (id) on delete set null,
  added_at           timestamptz not null default now(),
  -- Set when the bag left the ticket (removed, or the ticket was cancelled): whether it went
  -- back onto its original bill.
  put_back           text check (put_back in ('back_on_bill', 'left_unbilled')),
  ended_at           timestamptz,
  constraint return_ticket_bags_put_back_shape check ((put_back is not null) = (state in ('cancelled', 'removed')))
);
create unique index return_ticket_bags_one_open on return_ticket_bags (bag_id) where state = 'open';
create index return_ticket_bags_ticket_idx on return_ticket_bags (ticket_id, id);
create index return_ticket_bags_bill_idx on return_ticket_bags (original_bill_code);

-- A ticket's history: its own rows (subject = ticket code) and the bag rows, whose subject is
-- the parent and related the bill, found by the ticket named in their details.
create index events_return_ticket_idx on events ((details ->> 'returnTicket'), id) where action like 'return.%';
