/**
 * A user's own sessions (profile page): list them and end any. Answers carry a public handle
 * derived from the stored id, never the id itself: the id is the key of the session store, so
 * it stays server-side like the token it is the hash of.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import type { SessionRecord } from './session-store.js';
import { appendEvent } from '../../storage/events.repository.js';
import { sourceOf } from '../audit/event.js';

export interface OwnSession {
  handle: string;
  current: boolean;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

export const sessionHandle = (id: string) => createHash('sha256').update(`handle:${id}`).digest('base64url').slice(0, 22);

async function liveSessions(ctx: Ctx, userId: string): Promise<SessionRecord[]> {
  const now = ctx.clock.now().getTime();
  const { idleMs, absoluteMs } = ctx.sessionPolicy;
  const all = await ctx.sessions.listForUser(userId);
  return all.filter((s) => s.createdAt.getTime() + absoluteMs > now && s.lastSeenAt.getTime() + idleMs > now);
}

export async function listOwnSessions(ctx: Ctx, actor: Actor, currentId: string | null): Promise<OwnSession[]> {
  return (await liveSessions(ctx, actor.userId)).map((s) => ({
    handle: sessionHandle(s.id),
    current: s.id === currentId,
    ip: s.ip,
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
  }));
}

/** Ends one of the actor's own sessions (possibly the current one: that is a logout). */
export async function endOwnSession(ctx: Ctx, actor: Actor, handle: string, currentId: string | null): Promise<{ wasCurrent: boolean }> {
  const target = (await liveSessions(ctx, actor.userId)).find((s) => sessionHandle(s.id) === handle);
  if (!target) throw new DomainError('not_found', 'No such session (it may have ended already)');
  await ctx.sessions.revoke(target.id);
  const wasCurrent = target.id === currentId;
  await appendEvent(
    ctx.db,
    sourceOf(actor),
    {
      action: 'session.end',
      outcome: 'ok',
      subject: `user:${actor.userId}`,
      details: { current: wasCurrent, ip: target.ip, userAgent: target.userAgent },
    },
    ctx.clock.now(),
  );
  return { wasCurrent };
}

/** Ends every session of the actor but the one in use ("log out everywhere else"). */
export async function endOtherSessions(ctx: Ctx, actor: Actor, currentId: string | null): Promise<number> {
  const ended = await ctx.sessions.revokeUser(actor.userId, currentId ?? undefined);
  await appendEvent(
    ctx.db,
    sourceOf(actor),
    { action: 'session.end_others', outcome: 'ok', subject: `user:${actor.userId}`, details: { ended } },
    ctx.clock.now(),
  );
  return ended;
}
