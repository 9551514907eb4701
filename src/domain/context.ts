/** What use cases need from the outside world; built once in app.ts, faked nowhere. */
import type { Clock } from '../lib/clock.js';
import type { Db } from '../storage/database.js';
import type { Sealer } from '../lib/seal.js';
import type { SessionCache } from './auth/session-cache.js';
import type { LivePublisher } from './live/live.js';
import type { KindsCache } from './kinds/kinds-cache.js';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface Ctx {
  readonly db: Db;
  /** Read-only look-ups bounded in time (storage/database.ts: `Database.lookups`). */
  readonly lookups: Db;
  readonly clock: Clock;
  /** The session store behind a short per-process cache (auth/session-cache.ts). */
  readonly sessions: SessionCache;
  readonly sessionPolicy: SessionPolicy;
  /** Bag kinds for the scan rules, refreshed every few seconds (kinds/kinds-cache.ts). */
  readonly kinds: KindsCache;
  /** Seals TOTP secrets at rest; only the app (not start-up or CLI tasks) needs one. */
  readonly sealer?: Sealer;
  /** Live events for dashboards (SPEC §5); the app has one, start-up and CLI tasks do not. */
  readonly live?: LivePublisher;
}
