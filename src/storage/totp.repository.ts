/**
 * Two-factor state of a user: the sealed secret, whether it is on, the last accepted time step,
 * and the hashed one-time backup codes. Nothing here ever returns a secret to the HTTP layer:
 * only the TOTP use case unseals it.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from './database.js';

export interface TotpState {
  sealedSecret: string | null;
  enabled: boolean;
  lastStep: number | null;
}

export async function findTotpState(ex: Executor, userId: string): Promise<TotpState | undefined> {
  const r = await ex
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return (
    r && { sealedSecret: r.totp_secret, enabled: r.totp_enabled, lastStep: r.totp_last_step === null ? null : Number(r.totp_last_step) }
  );
}

/** Stores a not-yet-confirmed secret; refuses (false) when two-factor is already on. */
export async function savePendingSecret(ex: Executor, userId: string, sealed: string): Promise<boolean> {
  const r = await ex
    .updateTable('users')
    .set({ totp_secret: sealed, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled', '=', false)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Turns two-factor on with the step of the confirming code already spent. */
export async function enableTotp(tx: Tx, userId: string, step: number): Promise<boolean> {
  const r = await tx
    .updateTable('users')
    .set({ totp_enabled: true, totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled', '=', false)
    .where('totp_secret', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function disableTotp(tx: Tx, userId: string): Promise<void> {
  await tx.updateTable('users').set({ totp_enabled: false, totp_secret: null, totp_last_step: null }).where('id', '=', userId).execute();
  await tx.deleteFrom('totp_backup_codes').where('user_id', '=', userId).execute();
}

/**
 * Spends a time step: succeeds only for a step later than the last one accepted, in one atomic
 * statement, so the same code (or an older one) is refused even on another process.
 */
export async function claimTotpStep(ex: Executor, userId: string, step: number): Promise<boolean> {
  const r = await ex
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled', '=', true)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function replaceBackupCodes(tx: Tx, userId: string, hashes: string[], now: Date): Promise<void> {
  await tx.deleteFrom('totp_backup_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await tx
    .insertInto('totp_backup_codes')
    .values(hashes.map((h) => ({ user_id: userId, code_hash: h, created_at: now })))
    .execute();
}

/** Marks an unused backup code used; false when there is none with that hash (or it was used). */
export async function useBackupCode(ex: Executor, userId: string, hash: string, now: Date): Promise<boolean> {
  const r = await ex
    .updateTable('totp_backup_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedBackupCodes(ex: Executor, userId: string): Promise<number> {
  const r = await ex
    .selectFrom('totp_backup_codes')
    .select(sql<string>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
