-- Administration and security depth (issue 7): two-factor login, the password-verified step of
-- a two-step form login, admin settings, and the indexes the audit browser and the per-user
-- activity figures need.

-- TOTP: the secret is stored sealed (AES-256-GCM, key derived from SESSION_SECRET), never
-- returned by any API. A secret with totp_enabled = false is an enrolment not yet confirmed.
-- totp_last_step is the time step of the last accepted code: a code of that step or an
-- earlier one is refused, so a code seen over a shoulder cannot be replayed.
alter table users add column totp_secret text;
alter table users add column totp_enabled boolean not null default false;
alter table users add column totp_last_step bigint;
alter table users add constraint users_totp_enabled_has_secret check (not totp_enabled or totp_secret is not null);

-- One-time backup codes: only the SHA-256 of each (they are 50-bit random, so a fast hash is
-- enough); used_at marks the one use.
create table totp_backup_codes (
  id         bigserial primary key,
  user_id    bigint not null references users (id) on delete cascade,
  code_hash  text not null,
  created_at timestamptz not null default now(),
  used_at    timestamptz,
  unique (user_id, code_hash)
);

-- The form login's second step: the password was right, the code is still to come. The
-- browser holds a random token in a signed httpOnly cookie; only its SHA-256 is stored here.
create table pending_logins (
  id         text primary key,
  user_id    bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip         text
);
create index pending_logins_expires_idx on pending_logins (expires_at);

-- Admin settings ("require 2FA for all admins", …): few keys, read often, changed rarely.
create table settings (
  key        text primary key check (key ~ '^[a-z][a-z0-9_.]{0,63}$'),
  value      jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by bigint references users (id) on delete set null
);

-- The audit browser lists everything but the two scan actions (the bulk of the table). Partial
-- indexes cost a scan insert nothing but the predicate check.
create index events_audit_idx on events (id) where action not in ('scan.parent', 'scan.child');
create index events_audit_action_idx on events (action, id) where action not in ('scan.parent', 'scan.child');
-- Per-user scan figures (today, 7 days, 30-day chart): an index-only range per user.
create index events_scans_actor_at_idx on events (actor_id, at) include (outcome) where action in ('scan.parent', 'scan.child');
