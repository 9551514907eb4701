/**
 * A live stream outlives the request that opened it, so its session is checked again on every
 * heartbeat. Unlike authenticate(), this never marks activity: a dashboard left open does not
 * keep its session from timing out, and a logout, a password reset or a disabled account ends
 * the stream within one heartbeat.
 */
import type { Ctx } from '../context.js';
import { findUserById } from '../../storage/users.repository.js';

export async function sessionStillValid(ctx: Ctx, sessionId: string): Promise<boolean> {
  const session = await ctx.sessions.find(sessionId);
  if (!session) return false;
  const now = ctx.clock.now().getTime();
  const { idleMs, absoluteMs } = ctx.sessionPolicy;
  if (session.createdAt.getTime() + absoluteMs <= now || session.lastSeenAt.getTime() + idleMs <= now) return false;
  const user = await findUserById(ctx.db, session.userId);
  return Boolean(user?.active);
}
