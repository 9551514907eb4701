/** Kysely table interfaces: the snake_case rows as they are stored. Only storage/ imports this. */
import type { ColumnType, Generated } from 'kysely';

/** A timestamptz column; `Defaulted` ones may be left out of an insert. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;
/** int8 columns come back as strings from both engines (database.ts sets PGlite's parser). */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
/** A bigserial primary key: generated, never updated. */
type Serial = ColumnType<string, never, never>;

export interface AreasTable {
  id: string;
  name: string;
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: Defaulted<Timestamp>;
}

export interface UsersTable {
  id: Serial;
  username: string;
  email: string | null;
  role: string;
  area_id: string | null;
  active: Generated<boolean>;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Defaulted<Timestamp>;
  updated_at: Defaulted<Timestamp>;
  /** 0004: sealed TOTP secret, never returned; see storage/totp.repository.ts. */
  totp_secret: Defaulted<string | null>;
  totp_enabled: Generated<boolean>;
  totp_last_step: Defaulted<Int8 | null>;
}

export interface SessionsTable {
  id: string;
  user_id: Int8;
  created_at: Defaulted<Timestamp>;
  last_seen_at: Defaulted<Timestamp>;
  ip: string | null;
  user_agent: string | null;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  reset_at: Timestamp;
}

export interface EventsTable {
  id: Serial;
  at: Defaulted<Timestamp>;
  actor_id: Int8 | null;
  actor_name: string | null;
  action: string;
  outcome: string;
  subject: string | null;
  area_id: string | null;
  ip: string | null;
  station: string | null;
  request_id: string | null;
  details: ColumnType<unknown, string | null, string | null> | null;
  /** Secondary subject: the parent's code on child link/unlink events. */
  related: Defaulted<string | null>;
}

export interface BagKindsTable {
  id: string;
  name: string;
  type: string;
  pattern: string;
  capacity: number | null;
  expected_weight_kg: number;
  active: Generated<boolean>;
  position: Generated<number>;
}

export interface BagsTable {
  id: Serial;
  code: string;
  type: string;
  kind_id: string | null;
  area_id: string;
  status: string;
  child_count: Generated<number>;
  capacity: number | null;
  parent_id: Int8 | null;
  linked_by: Int8 | null;
  linked_at: Timestamp | null;
  created_by: Int8 | null;
  created_at: Defaulted<Timestamp>;
  updated_at: Defaulted<Timestamp>;
  completed_at: Timestamp | null;
  /** 0003: the bill this parent is on (bills.id), when and by whom it was linked. */
  bill_id: Defaulted<Int8 | null>;
  bill_linked_at: Defaulted<Timestamp | null>;
  bill_linked_by: Defaulted<Int8 | null>;
}

/** 0003: bills with their exact counters. */
export interface BillsTable {
  id: Serial;
  bill_id: string;
  capacity: number;
  description: string | null;
  destination: string | null;
  vehicle_number: string | null;
  status: Generated<string>;
  parent_count: Generated<number>;
  child_count: Generated<number>;
  actual_weight_kg: Generated<number>;
  expected_weight_kg: Generated<number>;
  created_by: Int8 | null;
  created_at: Defaulted<Timestamp>;
  updated_at: Defaulted<Timestamp>;
  completed_at: Defaulted<Timestamp | null>;
  completed_short_reason: Defaulted<string | null>;
}

export interface ScanRequestsTable {
  user_id: Int8;
  scan_id: string;
  endpoint: string;
  outcome: string | null;
  response: ColumnType<unknown, string | null, string | null> | null;
  created_at: Defaulted<Timestamp>;
}

/** 0004: one-time backup codes (SHA-256 only). */
export interface TotpBackupCodesTable {
  id: Serial;
  user_id: Int8;
  code_hash: string;
  created_at: Defaulted<Timestamp>;
  used_at: Timestamp | null;
}

/** 0004: a form login whose password was right and whose TOTP code is still to come. */
export interface PendingLoginsTable {
  id: string;
  user_id: Int8;
  created_at: Defaulted<Timestamp>;
  expires_at: Timestamp;
  ip: string | null;
}

/** 0004: admin settings, one JSON value per key. */
export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Defaulted<Timestamp>;
  updated_by: Int8 | null;
}

/** 0015: scheduled jobs claimed once across processes. */
export interface JobRunsTable {
  name: string;
  last_run_at: Timestamp;
}

export interface ImportsTable {
  id: Serial;
  kind: string;
  file_name: string;
  actor_id: Int8 | null;
  actor_name: string | null;
  dry_run: boolean;
  status: Defaulted<string>;
  rows: Defaulted<number>;
  created: Defaulted<number>;
  linked: Defaulted<number>;
  skipped: Defaulted<number>;
  failed: Defaulted<number>;
  errors: ColumnType<unknown, string | undefined, string>;
  created_at: Defaulted<Timestamp>;
  finished_at: Timestamp | null;
}

export interface ImportRowsTable {
  import_id: Int8;
  row_no: number;
  outcome: string;
  code: string | null;
  error_code: string;
  message: string;
}

export interface Tables {
  areas: AreasTable;
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  events: EventsTable;
  bag_kinds: BagKindsTable;
  bags: BagsTable;
  bills: BillsTable;
  scan_requests: ScanRequestsTable;
  totp_backup_codes: TotpBackupCodesTable;
  pending_logins: PendingLoginsTable;
  settings: SettingsTable;
  job_runs: JobRunsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  return_tickets: ReturnTicketsTable;
  return_ticket_bags: ReturnTicketBagsTable;
}

/** 0010: return tickets (SPEC §11) and the bags on them. */
export interface ReturnTicketsTable {
  id: Serial;
  code: string;
  status: Generated<string>;
  area_id: string;
  notes: string | null;
  bag_count: Generated<number>;
  child_count: Generated<number>;
  weight_kg: Generated<number>;
  created_by: Int8 | null;
  created_at: Defaulted<Timestamp>;
  closed_at: Defaulted<Timestamp | null>;
}

export interface ReturnTicketBagsTable {
  id: Serial;
  ticket_id: Int8;
  bag_id: Int8;
  state: Generated<string>;
  original_bill_id: Int8 | null;
  original_bill_code: string;
  child_count: number;
  weight_kg: number;
  bill_before: ColumnType<unknown, string, string>;
  bill_after: ColumnType<unknown, string, string>;
  added_by: Int8 | null;
  added_at: Defaulted<Timestamp>;
  put_back: Defaulted<string | null>;
  ended_at: Defaulted<Timestamp | null>;
}
