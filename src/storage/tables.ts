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
}

export interface Tables {
  areas: AreasTable;
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  events: EventsTable;
}
