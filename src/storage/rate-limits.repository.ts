/**
 * A @fastify/rate-limit store over the rate_limits table: one atomic upsert per hit, so the
 * limit holds across processes and machines without Redis. Fixed windows, like the Redis store.
 */
import { sql } from 'kysely';
import type { Clock } from '../lib/clock.js';
import type { Db } from './database.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

export async function hitRateLimit(db: Db, key: string, windowMs: number, now: Date): Promise<{ current: number; ttl: number }> {
  const resetAt = new Date(now.getTime() + windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, hits: 1, reset_at: resetAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
        reset_at: sql<Date>`case when rate_limits.reset_at <= ${now} then ${resetAt}::timestamptz else rate_limits.reset_at end`,
      }),
    )
    .returning(['hits', 'reset_at'])
    .executeTakeFirstOrThrow();
  return { current: row.hits, ttl: Math.max(0, row.reset_at.getTime() - now.getTime()) };
}

export function databaseRateLimitStore(db: Db, clock: Clock) {
  return class DatabaseRateLimitStore {
    private readonly prefix: string;
    /** @fastify/rate-limit calls `new Store(globalParams)`; children get a route prefix. */
    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : 'rl:';
    }
    incr(key: string, cb: Callback, timeWindow: number) {
      hitRateLimit(db, `${this.prefix}${key}`.slice(0, 300), timeWindow, clock.now()).then(
        (r) => cb(null, r),
        (err: Error) => cb(err),
      );
    }
    /** Each limited route counts apart, as the Redis store does. */
    child(routeOptions: { routeInfo?: { method?: string; url?: string } }) {
      return new DatabaseRateLimitStore(`${this.prefix}${routeOptions.routeInfo?.method}${routeOptions.routeInfo?.url}:`);
    }
  };
}
