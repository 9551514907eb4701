/**
 * Two-factor login with TOTP (RFC 6238) and one-time backup codes: set up (secret + QR code),
 * confirm with a first code, disable with the password, and the check login runs. Secrets are
 * sealed at rest; backup codes are stored as SHA-256 only and shown once.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { generateTotpSecret, matchTotp, totpUri } from '../../lib/totp.js';
import type { Sealer } from '../../lib/seal.js';
import { appendEvent } from '../../storage/events.repository.js';
import { findCredentialsById } from '../../storage/users.repository.js';
import {
  claimTotpStep,
  countUnusedBackupCodes,
  disableTotp as disableTotpRow,
  enableTotp,
  findTotpState,
  replaceBackupCodes,
  savePendingSecret,
  useBackupCode,
} from '../../storage/totp.repository.js';
import { verifyPassword } from '../users/password.js';
import { sourceOf } from '../audit/event.js';

export const BACKUP_CODE_COUNT = 10;
const ISSUER = 'TraceTrack';
const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const sealerOf = (ctx: Ctx): Sealer => {
  if (!ctx.sealer) throw new Error('two-factor needs ctx.sealer (SESSION_SECRET)');
  return ctx.sealer;
};

/** "ab3de-fg7hk": 10 characters of a 31-letter alphabet (~50 bits), easy to type from paper. */
function newBackupCode(): string {
  const chars = Array.from({ length: 10 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

const normaliseBackupCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();
export const hashBackupCode = (code: string) => createHash('sha256').update(normaliseBackupCode(code)).digest('hex');

export interface TotpStatus {
  enabled: boolean;
  /** A secret was generated but not confirmed yet. */
  pending: boolean;
  backupCodesLeft: number;
}

export async function totpStatus(ctx: Ctx, userId: string): Promise<TotpStatus> {
  const state = await findTotpState(ctx.db, userId);
  if (!state) throw new DomainError('not_found', 'No such user');
  return {
    enabled: state.enabled,
    pending: !state.enabled && state.sealedSecret !== null,
    backupCodesLeft: state.enabled ? await countUnusedBackupCodes(ctx.db, userId) : 0,
  };
}

export interface TotpSetup {
  /** Base32, for typing into an app by hand; shown to its owner only, during setup. */
  secret: string;
  uri: string;
}

/** Starts (or restarts) enrolment with a fresh secret; nothing changes for login until confirmed. */
export async function beginTotpSetup(ctx: Ctx, actor: Actor): Promise<TotpSetup> {
  const secret = generateTotpSecret();
  if (!(await savePendingSecret(ctx.db, actor.userId, sealerOf(ctx).seal(secret)))) {
    throw new DomainError('totp_already_enabled', 'Two-factor login is already on: disable it first to set up a new device');
  }
  return { secret, uri: totpUri(ISSUER, actor.username, secret) };
}

/** The pending setup again (the page re-shows the QR code after a mistyped code). */
export async function pendingTotpSetup(ctx: Ctx, actor: Actor): Promise<TotpSetup | undefined> {
  const state = await findTotpState(ctx.db, actor.userId);
  if (!state || state.enabled || !state.sealedSecret) return undefined;
  const secret = sealerOf(ctx).open(state.sealedSecret);
  return secret ? { secret, uri: totpUri(ISSUER, actor.username, secret) } : undefined;
}

/** Confirms enrolment with a first code; answers the backup codes, which are never shown again. */
export async function confirmTotpSetup(ctx: Ctx, actor: Actor, code: string): Promise<{ backupCodes: string[] }> {
  const setup = await pendingTotpSetup(ctx, actor);
  if (!setup) throw new DomainError('totp_not_set_up', 'Start the two-factor setup first');
  const now = ctx.clock.now();
  const step = matchTotp(setup.secret, code.replace(/\s/g, ''), now);
  if (step === undefined)
    throw new DomainError('invalid_totp', 'That code is not right: check the time on your phone and try the current code');
  const backupCodes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await enableTotp(tx, actor.userId, step))) throw new DomainError('totp_already_enabled', 'Two-factor login is already on');
    await replaceBackupCodes(tx, actor.userId, backupCodes.map(hashBackupCode), now);
    await appendEvent(tx, sourceOf(actor), { action: 'totp.enable', outcome: 'ok', subject: `user:${actor.userId}` }, now);
  });
  ctx.sessions.forgetUser(actor.userId); // the enrolment gate reads totpEnabled from the session's user
  return { backupCodes };
}

async function assertPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  const creds = await findCredentialsById(ctx.db, userId);
  if (!creds || !(await verifyPassword(creds.passwordHash, password))) {
    throw new DomainError('invalid_current_password', 'The current password is wrong');
  }
}

/** Turns two-factor off for oneself; the password is required (a left-open session is not enough). */
export async function disableOwnTotp(ctx: Ctx, actor: Actor, password: string): Promise<void> {
  await assertPassword(ctx, actor.userId, password);
  const state = await findTotpState(ctx.db, actor.userId);
  if (!state?.enabled) throw new DomainError('totp_not_set_up', 'Two-factor login is not on');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await disableTotpRow(tx, actor.userId);
    await appendEvent(tx, sourceOf(actor), { action: 'totp.disable', outcome: 'ok', subject: `user:${actor.userId}` }, now);
  });
  ctx.sessions.forgetUser(actor.userId);
}

/** New backup codes (the old ones stop working); needs the password like disabling does. */
export async function regenerateBackupCodes(ctx: Ctx, actor: Actor, password: string): Promise<{ backupCodes: string[] }> {
  await assertPassword(ctx, actor.userId, password);
  const state = await findTotpState(ctx.db, actor.userId);
  if (!state?.enabled) throw new DomainError('totp_not_set_up', 'Two-factor login is not on');
  const backupCodes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await replaceBackupCodes(tx, actor.userId, backupCodes.map(hashBackupCode), now);
    await appendEvent(tx, sourceOf(actor), { action: 'totp.backup_codes', outcome: 'ok', subject: `user:${actor.userId}` }, now);
  });
  return { backupCodes };
}

/**
 * The second factor at login: a current 6-digit code (each time step usable once) or an unused
 * backup code. Answers how it passed, or undefined when it did not.
 */
export async function checkSecondFactor(ctx: Ctx, userId: string, input: string, now: Date): Promise<'totp' | 'backup' | undefined> {
  const code = input.replace(/\s/g, '');
  if (/^\d{6}$/.test(code)) {
    const state = await findTotpState(ctx.db, userId);
    const secret = state?.enabled && state.sealedSecret ? sealerOf(ctx).open(state.sealedSecret) : undefined;
    if (!secret) return undefined;
    const step = matchTotp(secret, code, now);
    return step !== undefined && (await claimTotpStep(ctx.db, userId, step)) ? 'totp' : undefined;
  }
  const backup = normaliseBackupCode(code);
  if (!/^[a-z0-9]{10}$/.test(backup)) return undefined;
  return (await useBackupCode(ctx.db, userId, hashBackupCode(backup), now)) ? 'backup' : undefined;
}
