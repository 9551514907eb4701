-- Reports (SPEC §12). The day's figures are counted from the history: scans over a time range
-- read this partial index only (index-only: area, actor and outcome are included), whatever
-- the size of the rest of the history.
create index events_scans_at_idx on events (at) include (action, outcome, area_id, actor_id)
  where action in ('scan.parent', 'scan.child');

-- End-of-day e-mail: one row per report day, claimed with insert … on conflict do nothing, so
-- however many processes run, one of them sends that day's mail.
create table report_sends (
  day        date primary key,
  status     text not null default 'sending' check (status in ('sending', 'sent', 'failed')),
  attempts   integer not null default 0,
  claimed_at timestamptz not null,
  sent_at    timestamptz,
  last_error text
);

-- The log of every attempt (scheduled or "send now"), failures and retries included.
create table report_send_log (
  id         bigserial primary key,
  day        date not null,
  at         timestamptz not null,
  trigger    text not null check (trigger in ('schedule', 'manual')),
  attempt    integer not null,
  ok         boolean not null,
  recipients text not null,
  error      text
);
create index report_send_log_at_idx on report_send_log (id desc);
