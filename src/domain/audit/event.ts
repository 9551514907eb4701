/**
 * History events: one append-only record per use case (accepted or refused). `details` must
 * never hold a secret; scrub() removes any key that looks like one before it is stored.
 */
import type { Actor } from '../actor.js';

export interface NewEvent {
  action: string;
  /** 'ok' or the outcome / error code. */
  outcome: string;
  subject?: string | null;
  /** A secondary subject, e.g. the parent's code on a child link: the bag timeline shows both. */
  related?: string | null;
  areaId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface HistoryEvent {
  id: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  outcome: string;
  subject: string | null;
  related: string | null;
  areaId: string | null;
  ip: string | null;
  station: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/** Who did it, where from: the fields an event copies off the actor. */
export type EventSource = Pick<Actor, 'ip' | 'requestId' | 'station'> & {
  userId: string | null;
  username: string | null;
};

export const systemSource: EventSource = { userId: null, username: 'system' };

/** Who and where a history row says an actor's attempt came from. */
export const sourceOf = (actor: Actor): EventSource => ({
  userId: actor.userId,
  username: actor.username,
  ip: actor.ip,
  requestId: actor.requestId,
  station: actor.station,
});

const SECRET_KEY = /pass(word)?|hash|secret|token|session|totp|cookie|authorization/i;

export function scrub(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (SECRET_KEY.test(k)) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? scrub(v as Record<string, unknown>) : v;
  }
  return out;
}
