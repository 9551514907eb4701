-- Accounts: dispatch areas, users, server-side sessions, shared rate-limit counters and the
-- append-only event history (audit + scan history share one table and one mechanism).

create table areas (
  id         text primary key check (id ~ '^[a-z0-9_]{1,64}$'),
  name       text not null,
  active     boolean not null default true,
  position   integer not null default 0,
  created_at timestamptz not null default now()
);
create unique index areas_name_lower_key on areas (lower(name));

insert into areas (id, name, position) values
  ('lucknow', 'Lucknow', 1), ('indore', 'Indore', 2), ('jaipur', 'Jaipur', 3),
  ('hisar', 'Hisar', 4), ('sri_ganganagar', 'Sri Ganganagar', 5), ('sangaria', 'Sangaria', 6),
  ('bathinda', 'Bathinda', 7), ('raipur', 'Raipur', 8), ('ranchi', 'Ranchi', 9), ('akola', 'Akola', 10);

create table users (
  id             bigserial primary key,
  username       text not null check (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
  email          text,
  role           text not null check (role in ('admin', 'biller', 'dispatcher')),
  area_id        text references areas (id),
  active         boolean not null default true,
  password_hash  text not null,
  failed_logins  integer not null default 0 check (failed_logins >= 0),
  locked_until   timestamptz,
  last_login_at  timestamptz,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint users_dispatcher_area check (role <> 'dispatcher' or area_id is not null)
);
create unique index users_username_lower_key on users (lower(username));

-- The cookie carries a random token; only its SHA-256 is stored, so a database leak is no login.
create table sessions (
  id           text primary key,
  user_id      bigint not null references users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ip           text,
  user_agent   text
);
create index sessions_user_id_idx on sessions (user_id);

create table rate_limits (
  key      text primary key,
  hits     integer not null,
  reset_at timestamptz not null
);

create table events (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor_id    bigint references users (id) on delete set null,
  actor_name  text,
  action      text not null,
  outcome     text not null,
  subject     text,
  area_id     text,
  ip          text,
  station     text,
  request_id  text,
  details     jsonb
);
create index events_at_idx on events (at);
create index events_subject_idx on events (subject, id) where subject is not null;
create index events_actor_idx on events (actor_id, id);

-- History is append-only: normal operations can never rewrite or remove it.
create function events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'events are append-only';
end $$;
create trigger events_no_update before update or delete on events
  for each row execute function events_append_only();
