/**
 * Sessions in Redis (when REDIS_URL is set): one key per session with a TTL at its absolute end,
 * and a set per user so that revoking all of a user's sessions is one round trip.
 */
import type { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from '../domain/auth/session-store.js';
import { RedisUnavailableError } from './errors.js';

const key = (id: string) => `tt:sess:${id}`;
const userKey = (userId: string) => `tt:usess:${userId}`;

interface Stored {
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

const toRecord = (id: string, s: Stored): SessionRecord => ({
  id,
  userId: s.userId,
  createdAt: new Date(s.createdAt),
  lastSeenAt: new Date(s.lastSeenAt),
  ip: s.ip,
  userAgent: s.userAgent,
});

export function redisSessionStore(redis: Redis): SessionStore {
  return unavailableWhenDown({
    async create(rec, ttlMs) {
      const value: Stored = {
        userId: rec.userId,
        createdAt: rec.createdAt.toISOString(),
        lastSeenAt: rec.lastSeenAt.toISOString(),
        ip: rec.ip,
        userAgent: rec.userAgent,
      };
      await redis
        .multi()
        .set(key(rec.id), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)))
        .sadd(userKey(rec.userId), rec.id)
        .pexpire(userKey(rec.userId), 14 * 24 * 3600 * 1000)
        .exec();
    },
    async find(id): Promise<SessionRecord | undefined> {
      const raw = await redis.get(key(id));
      if (!raw) return undefined;
      return toRecord(id, JSON.parse(raw) as Stored);
    },
    async touch(id, at, ttlMs) {
      const raw = await redis.get(key(id));
      if (!raw) return;
      const s = JSON.parse(raw) as Stored;
      s.lastSeenAt = at.toISOString();
      await redis.set(key(id), JSON.stringify(s), 'PX', Math.max(1, Math.round(ttlMs)), 'XX');
    },
    async revoke(id) {
      const raw = await redis.get(key(id));
      const multi = redis.multi().del(key(id));
      if (raw) multi.srem(userKey((JSON.parse(raw) as Stored).userId), id);
      await multi.exec();
    },
    async listForUser(userId) {
      const ids = await redis.smembers(userKey(userId));
      if (ids.length === 0) return [];
      const raws = await redis.mget(...ids.map(key));
      const gone = ids.filter((_, i) => !raws[i]);
      // Keys that expired on their own still sit in the user's set: tidy them on the way.
      if (gone.length > 0) await redis.srem(userKey(userId), ...gone);
      return ids
        .flatMap((id, i) => (raws[i] ? [toRecord(id, JSON.parse(raws[i]!) as Stored)] : []))
        .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
    },
    async revokeUser(userId, exceptId) {
      const ids = (await redis.smembers(userKey(userId))).filter((id) => id !== exceptId);
      if (ids.length === 0) return 0;
      const results = await redis
        .multi()
        .del(...ids.map(key))
        .srem(userKey(userId), ...ids)
        .exec();
      return Number(results?.[0]?.[1] ?? 0);
    },
  });
}

/**
 * Redis gone (refused, reset, offline) becomes RedisUnavailableError, which the API answers
 * with 503 and Retry-After; no fallback to the database (docs/decisions/0022). A reply error
 * from a live Redis (wrong type…) stays what it is: a bug.
 */
function unavailableWhenDown(store: SessionStore): SessionStore {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store) as Array<[string, (...a: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if ((err as Error | null)?.name === 'ReplyError') throw err;
        throw new RedisUnavailableError(err);
      }
    };
  }
  return wrapped as unknown as SessionStore;
}

/** One PING, failing after `timeoutMs` (health checks). */
export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('redis timeout')), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
