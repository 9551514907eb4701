/**
 * Login, session lookup and logout. Unknown user, wrong password and disabled account give the
 * same answer; failures count toward a lockout kept in the database (shared by all processes).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { dummyPasswordHash, hashPassword, isWerkzeugHash, verifyPassword } from '../users/password.js';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS, type User, type UserCredentials } from '../users/user.js';
import { loadSettings, mustEnrolTotp as mustEnrol } from '../settings/settings.service.js';
import { checkSecondFactor } from './totp.service.js';
import type { EventSource } from '../audit/event.js';
import { appendEvent } from '../../storage/events.repository.js';
import {
  findCredentialsByUsername,
  findUserById,
  recordFailedLogin,
  recordSuccessfulLogin,
  replacePasswordHash,
} from '../../storage/users.repository.js';

/** Activity closer than this to the last recorded one is not written again (saves a write a request). */
const TOUCH_EVERY_MS = 60_000;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LoginInput {
  username: string;
  password: string;
  /** A 6-digit TOTP code or a backup code; required once the user has two-factor on. */
  totp?: string | undefined;
  ip: string | null;
  userAgent: string | null;
  requestId?: string | undefined;
}

export interface LoginResult {
  user: User;
  /** The cookie value; shown to nobody else and stored only as a hash. */
  token: string;
  /** An admin without two-factor while the settings require it: enrol before anything else. */
  mustEnrolTotp: boolean;
}

type FailCode = 'invalid_credentials' | 'account_locked' | 'totp_required' | 'invalid_totp';
const MESSAGES: Record<FailCode, string> = {
  invalid_credentials: 'Wrong username or password',
  account_locked: `Too many failed logins: try again in ${LOCKOUT_MINUTES} minutes`,
  totp_required: 'Enter the 6-digit code from your authenticator app (or a backup code)',
  invalid_totp: 'That code is not right, or it was used already',
};

/** One history row for the attempt, then the error: every refusal of a login is audited. */
async function refuse(ctx: Ctx, source: EventSource, userId: string | null, code: FailCode, outcome: string, now: Date): Promise<never> {
  await appendEvent(ctx.db, source, { action: 'login', outcome, subject: userId ? `user:${userId}` : null }, now);
  throw new DomainError(code, MESSAGES[code]);
}

export const loginSource = (
  creds: { id: string; username: string } | undefined,
  input: { username?: string; ip: string | null; requestId?: string | undefined },
): EventSource => ({
  userId: creds?.id ?? null,
  username: creds?.username ?? (input.username ?? '').slice(0, 64),
  ip: input.ip ?? undefined,
  requestId: input.requestId,
});

/** Step one of every login: the password. Same answer (and cost) for unknown, wrong and disabled. */
export async function checkPassword(ctx: Ctx, input: LoginInput, now: Date): Promise<UserCredentials> {
  const creds = await findCredentialsByUsername(ctx.db, input.username);
  const source = loginSource(creds, input);
  if (!creds) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    return refuse(ctx, source, null, 'invalid_credentials', 'invalid_credentials', now);
  }
  if (creds.lockedUntil && creds.lockedUntil > now) return refuse(ctx, source, creds.id, 'account_locked', 'account_locked', now);
  const ok = await verifyPassword(creds.passwordHash, input.password);
  if (!ok) return countFailure(ctx, creds, source, 'invalid_credentials', now);
  if (!creds.active) return refuse(ctx, source, creds.id, 'invalid_credentials', 'inactive', now);
  if (isWerkzeugHash(creds.passwordHash)) {
    // An imported user's old hash is replaced by argon2id the first time the password is proven.
    await replacePasswordHash(ctx.db, creds.id, creds.passwordHash, await hashPassword(input.password));
  }
  return creds;
}

/** A wrong password or code counts toward the lockout; the failure that locks says so (423). */
async function countFailure(
  ctx: Ctx,
  creds: UserCredentials,
  source: EventSource,
  code: 'invalid_credentials' | 'invalid_totp',
  now: Date,
): Promise<never> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
  const { locked } = await recordFailedLogin(ctx.db, creds.id, MAX_FAILED_LOGINS, lockUntil);
  return locked ? refuse(ctx, source, creds.id, 'account_locked', 'locked_out', now) : refuse(ctx, source, creds.id, code, code, now);
}

/** Step two for users with two-factor on: a missing code is asked for, a wrong one counts. */
export async function checkTotp(
  ctx: Ctx,
  creds: UserCredentials,
  input: Pick<LoginInput, 'totp' | 'ip' | 'requestId'>,
  now: Date,
): Promise<void> {
  if (!creds.totpEnabled) return;
  const source = loginSource(creds, input);
  if (!input.totp) return refuse(ctx, source, creds.id, 'totp_required', 'totp_required', now);
  if (!(await checkSecondFactor(ctx, creds.id, input.totp, now))) return countFailure(ctx, creds, source, 'invalid_totp', now);
}

/** The last step: a new server-side session and the one "login ok" history row. */
export async function openSession(
  ctx: Ctx,
  creds: UserCredentials,
  input: Pick<LoginInput, 'ip' | 'userAgent' | 'requestId'>,
  now: Date,
): Promise<LoginResult> {
  await recordSuccessfulLogin(ctx.db, creds.id, now);
  const token = randomBytes(32).toString('base64url');
  await ctx.sessions.create(
    { id: sessionIdOf(token), userId: creds.id, createdAt: now, lastSeenAt: now, ip: input.ip, userAgent: input.userAgent },
    ctx.sessionPolicy.absoluteMs,
  );
  await appendEvent(ctx.db, loginSource(creds, input), { action: 'login', outcome: 'ok', subject: `user:${creds.id}` }, now);
  const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...user } = creds;
  const mustEnrolTotp = creds.role === 'admin' && !creds.totpEnabled ? mustEnrol(user, await loadSettings(ctx)) : false;
  return { user: { ...user, lastLoginAt: now }, token, mustEnrolTotp };
}

/** The JSON login: password and (when on) the second factor in one request. */
export async function login(ctx: Ctx, input: LoginInput): Promise<LoginResult> {
  const now = ctx.clock.now();
  const creds = await checkPassword(ctx, input, now);
  await checkTotp(ctx, creds, input, now);
  return openSession(ctx, creds, input, now);
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
  const user = session.user ?? (await findUserById(ctx.db, session.userId));
  if (!user?.active) {
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
