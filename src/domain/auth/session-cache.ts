/**
 * Sessions found in the last moment, remembered by this process (issue 14, docs/decisions/0027):
 * a scan station sends several requests a second, and each one looked its session and user up
 * again — one of a scan's round trips. A found session is kept for `ttlMs` (SESSION_CACHE_MS);
 * what this process changes (touch, revoke, a user's sessions ended or the user changed) applies
 * here at once, and in other processes within `ttlMs`. Unknown ids are never remembered: each
 * one goes to the store, so nobody can fill the cache with made-up cookies.
 */
import type { SessionRecord, SessionStore } from './session-store.js';

export interface SessionCache extends SessionStore {
  /** Drops what this process remembers of the user's sessions (role, area or account changed). */
  forgetUser(userId: string): void;
}

interface Entry {
  rec: SessionRecord;
  until: number;
}

/** At most this many sessions are remembered; the oldest goes first. */
const MAX_ENTRIES = 5_000;

export function cachedSessions(store: SessionStore, ttlMs: number, now: () => number): SessionCache {
  const entries = new Map<string, Entry>();
  const forgetUser = (userId: string) => {
    for (const [id, e] of entries) if (e.rec.userId === userId) entries.delete(id);
  };
  return {
    create: (rec, ttl) => store.create(rec, ttl),
    async find(id) {
      const hit = entries.get(id);
      if (hit && hit.until > now()) return hit.rec;
      entries.delete(id);
      const rec = await store.find(id);
      if (rec && ttlMs > 0) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(id, { rec, until: now() + ttlMs });
      }
      return rec;
    },
    async touch(id, at, ttl) {
      await store.touch(id, at, ttl);
      const hit = entries.get(id);
      if (hit) hit.rec = { ...hit.rec, lastSeenAt: at };
    },
    async revoke(id) {
      entries.delete(id);
      await store.revoke(id);
    },
    async revokeUser(userId, exceptId) {
      forgetUser(userId);
      return store.revokeUser(userId, exceptId);
    },
    listForUser: (userId) => store.listForUser(userId),
    forgetUser,
  };
}
