/** What use cases need from the outside world; built once in app.ts, faked nowhere. */
import type { Clock } from '../lib/clock.js';
import type { Db } from '../storage/database.js';
import type { SessionStore } from './auth/session-store.js';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface Ctx {
  readonly db: Db;
  readonly clock: Clock;
  readonly sessions: SessionStore;
  readonly sessionPolicy: SessionPolicy;
}
