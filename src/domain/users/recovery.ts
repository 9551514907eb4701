/** Operator recovery (CLI only): set a user's password, or turn off their two-factor, by username. */
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { systemSource } from '../audit/event.js';
import { appendEvent } from '../../storage/events.repository.js';
import { findCredentialsByUsername, setPasswordHash } from '../../storage/users.repository.js';
import { assertPasswordPolicy, hashPassword } from './password.js';
import { disableTotp } from '../../storage/totp.repository.js';

export async function resetPasswordByUsername(ctx: Ctx, username: string, password: string): Promise<void> {
  const user = await findCredentialsByUsername(ctx.db, username);
  if (!user) throw new DomainError('not_found', `No user "${username}"`);
  assertPasswordPolicy(password, user.username);
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await setPasswordHash(tx, user.id, hash, now);
    await appendEvent(
      tx,
      systemSource,
      { action: 'user.password_reset', outcome: 'ok', subject: `user:${user.id}`, details: { via: 'cli' } },
      now,
    );
  });
  await ctx.sessions.revokeUser(user.id);
}

/**
 * Operator recovery (CLI only): turns two-factor off for a user who lost both the phone and the
 * backup codes (or after SESSION_SECRET changed). Their sessions end; they enrol again.
 */
export async function disableTotpByUsername(ctx: Ctx, username: string): Promise<void> {
  const user = await findCredentialsByUsername(ctx.db, username);
  if (!user) throw new DomainError('not_found', `No user "${username}"`);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await disableTotp(tx, user.id);
    await appendEvent(
      tx,
      systemSource,
      { action: 'totp.disable', outcome: 'ok', subject: `user:${user.id}`, details: { via: 'cli' } },
      now,
    );
  });
  await ctx.sessions.revokeUser(user.id);
}
