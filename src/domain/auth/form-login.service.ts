/**
 * The login form in two steps for users with two-factor on. Step one checks the password and
 * leaves a short-lived server-side "pending login" (the browser keeps only a random token in
 * a signed httpOnly cookie); step two takes the code. The client is never trusted to say that
 * its password was right, and the password is never sent twice.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { findCredentialsById } from '../../storage/users.repository.js';
import {
  deleteExpiredPendingLogins,
  deletePendingLogin,
  findPendingLogin,
  insertPendingLogin,
} from '../../storage/pending-logins.repository.js';
import { appendEvent } from '../../storage/events.repository.js';
import { checkPassword, checkTotp, loginSource, openSession, sessionIdOf, type LoginInput, type LoginResult } from './auth.service.js';

/** How long the code step stays open after the password step. */
export const PENDING_LOGIN_MS = 5 * 60_000;

export type FormLoginStep = { kind: 'done'; result: LoginResult } | { kind: 'code'; pendingToken: string; username: string };

/** Step one: the password. Users without two-factor are logged in at once. */
export async function startFormLogin(ctx: Ctx, input: Omit<LoginInput, 'totp'>): Promise<FormLoginStep> {
  const now = ctx.clock.now();
  const creds = await checkPassword(ctx, input, now);
  if (!creds.totpEnabled) return { kind: 'done', result: await openSession(ctx, creds, input, now) };
  const pendingToken = randomBytes(32).toString('base64url');
  await deleteExpiredPendingLogins(ctx.db, now);
  await insertPendingLogin(ctx.db, {
    id: sessionIdOf(pendingToken),
    userId: creds.id,
    now,
    expiresAt: new Date(now.getTime() + PENDING_LOGIN_MS),
    ip: input.ip,
  });
  await appendEvent(ctx.db, loginSource(creds, input), { action: 'login', outcome: 'totp_required', subject: `user:${creds.id}` }, now);
  return { kind: 'code', pendingToken, username: creds.username };
}

export interface FinishInput {
  pendingToken: string;
  totp: string;
  ip: string | null;
  userAgent: string | null;
  requestId?: string | undefined;
}

const expired = () => new DomainError('invalid_credentials', 'Your login timed out: enter your username and password again');

/**
 * Step two: the code. A wrong code counts toward the lockout like a wrong password and leaves
 * the pending login for another try (until it expires or the account locks); a right one
 * spends it.
 */
export async function finishFormLogin(ctx: Ctx, input: FinishInput): Promise<LoginResult> {
  const now = ctx.clock.now();
  const id = sessionIdOf(input.pendingToken);
  const pending = await findPendingLogin(ctx.db, id, now);
  if (!pending) throw expired();
  const creds = await findCredentialsById(ctx.db, pending.userId);
  if (!creds?.active) {
    await deletePendingLogin(ctx.db, id);
    throw expired();
  }
  if (creds.lockedUntil && creds.lockedUntil > now) {
    await deletePendingLogin(ctx.db, id);
    await appendEvent(ctx.db, loginSource(creds, input), { action: 'login', outcome: 'account_locked', subject: `user:${creds.id}` }, now);
    throw new DomainError('account_locked', 'Too many failed logins: try again later');
  }
  try {
    await checkTotp(ctx, creds, { totp: input.totp || undefined, ip: input.ip, requestId: input.requestId }, now);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'account_locked') await deletePendingLogin(ctx.db, id);
    throw err;
  }
  await deletePendingLogin(ctx.db, id);
  return openSession(ctx, creds, input, now);
}

/** Who the pending login is for (the code page greets them), or undefined once it expired. */
export async function pendingLoginUser(ctx: Ctx, pendingToken: string): Promise<string | undefined> {
  const pending = await findPendingLogin(ctx.db, sessionIdOf(pendingToken), ctx.clock.now());
  if (!pending) return undefined;
  return (await findCredentialsById(ctx.db, pending.userId))?.username;
}
