/** Where server-side sessions live: the database by default, Redis when REDIS_URL is set. */
import type { User } from '../users/user.js';

export interface SessionRecord {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  /**
   * The session's user, when the store can read it in the same round trip (the database store
   * joins it: one statement per request instead of two). Otherwise the caller looks it up.
   */
  user?: User;
}

export interface SessionStore {
  /** `ttlMs`: time left until the session's absolute end (stores may drop it then). */
  create(rec: SessionRecord, ttlMs: number): Promise<void>;
  find(id: string): Promise<SessionRecord | undefined>;
  /** Marks activity (idle timeout). */
  touch(id: string, at: Date, ttlMs: number): Promise<void>;
  revoke(id: string): Promise<void>;
  /** Ends every session of a user (disabled, password reset), but `exceptId`; returns how many ended. */
  revokeUser(userId: string, exceptId?: string): Promise<number>;
  /** The live sessions of one user, most recently active first (the profile page lists them). */
  listForUser(userId: string): Promise<SessionRecord[]>;
}
