/**
 * Login, session lookup and logout. Unknown user, wrong password and disabled account give the
 * same answer; failures count toward a lockout kept in the database (shared by all processes).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { dummyPasswordHash, verifyPassword } from '../users/password.js';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS, type User } from '../users/user.js';
import type { EventSource } from '../audit/event.js';
import { appendEvent } from '../../storage/events.repository.js';
import {
  findCredentialsByUsername,
  findUserById,
  recordFailedLogin,
  recordSuccessfulLogin,
} from '../../storage/users.repository.js';

/** Activity closer than this to the last recorded one is not written again (saves a write a request). */
const TOUCH_EVERY_MS = 60_000;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId?: string;
}

export interface LoginResult {
  user: User;
  /** The cookie value; shown to nobody else and stored only as a hash. */
  token: string;
}

export async function login(ctx: Ctx, input: LoginInput): Promise<LoginResult> {
  const now = ctx.clock.now();
  const creds = await findCredentialsByUsername(ctx.db, input.username);
  const source: EventSource = {
    userId: creds?.id ?? null,
    username: creds?.username ?? input.username.slice(0, 64),
    ip: input.ip ?? undefined,
    requestId: input.requestId,
  };
  const fail = async (code: 'invalid_credentials' | 'account_locked', outcome: string) => {
    await appendEvent(ctx.db, source, { action: 'login', outcome, subject: creds ? `user:${creds.id}` : null }, now);
    throw code === 'account_locked'
      ? new DomainError('account_locked', `Too many failed logins: try again in ${LOCKOUT_MINUTES} minutes`)
      : new DomainError('invalid_credentials', 'Wrong username or password');
  };

  if (!creds) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return fail('invalid_credentials', 'invalid_credentials');
  }
  if (creds.lockedUntil && creds.lockedUntil > now) return fail('account_locked', 'account_locked');
  const ok = await verifyPassword(creds.passwordHash, input.password);
  if (!ok) {
    const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
    const { locked } = await recordFailedLogin(ctx.db, creds.id, MAX_FAILED_LOGINS, lockUntil);
    return locked ? fail('account_locked', 'locked_out') : fail('invalid_credentials', 'invalid_credentials');
  }
  if (!creds.active) return fail('invalid_credentials', 'inactive');

  await recordSuccessfulLogin(ctx.db, creds.id, now);
  const token = randomBytes(32).toString('base64url');
  await ctx.sessions.create(
    { id: sessionIdOf(token), userId: creds.id, createdAt: now, lastSeenAt: now, ip: input.ip, userAgent: input.userAgent },
    ctx.sessionPolicy.absoluteMs,
  );
  await appendEvent(ctx.db, source, { action: 'login', outcome: 'ok', subject: `user:${creds.id}` }, now);
  const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...user } = creds;
  return { user: { ...user, lastLoginAt: now }, token };
}

export interface Authenticated {
  user: User;
  sessionId: string;
}

/** The live session behind a cookie token, or undefined (expired, revoked, user disabled). */
export async function authenticate(ctx: Ctx, token: string): Promise<Authenticated | undefined> {
  const id = sessionIdOf(token);
  const session = await ctx.sessions.find(id);
  if (!session) return undefined;
  const now = ctx.clock.now().getTime();
  const { idleMs, absoluteMs } = ctx.sessionPolicy;
  const absoluteLeft = session.createdAt.getTime() + absoluteMs - now;
  if (absoluteLeft <= 0 || session.lastSeenAt.getTime() + idleMs <= now) {
    await ctx.sessions.revoke(id);
    return undefined;
  }
  const user = await findUserById(ctx.db, session.userId);
  if (!user || !user.active) {
    await ctx.sessions.revoke(id);
    return undefined;
  }
  if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await ctx.sessions.touch(id, new Date(now), absoluteLeft);
  }
  return { user, sessionId: id };
}

export async function logout(ctx: Ctx, actor: Actor, sessionId: string): Promise<void> {
  await ctx.sessions.revoke(sessionId);
  await appendEvent(
    ctx.db,
    { userId: actor.userId, username: actor.username, ip: actor.ip, requestId: actor.requestId },
    { action: 'logout', outcome: 'ok', subject: `user:${actor.userId}` },
    ctx.clock.now(),
  );
}
