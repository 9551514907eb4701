/**
 * The password-verified half of a two-step form login. The row proves "this browser gave the
 * right password a moment ago"; the code step takes (deletes) it, so it works once.
 */
import type { Executor } from './database.js';

export interface PendingLogin {
  userId: string;
  ip: string | null;
}

export async function insertPendingLogin(
  ex: Executor,
  p: { id: string; userId: string; now: Date; expiresAt: Date; ip: string | null },
): Promise<void> {
  await ex
    .insertInto('pending_logins')
    .values({ id: p.id, user_id: p.userId, created_at: p.now, expires_at: p.expiresAt, ip: p.ip })
    .execute();
}

/** Looks the pending login up without using it (to show the code form again after a typo). */
export async function findPendingLogin(ex: Executor, id: string, now: Date): Promise<PendingLogin | undefined> {
  const r = await ex
    .selectFrom('pending_logins')
    .select(['user_id', 'ip'])
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r && { userId: String(r.user_id), ip: r.ip };
}

export async function deletePendingLogin(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('pending_logins').where('id', '=', id).execute();
}

/** Drops expired rows (called on each new pending login; the table stays tiny). */
export async function deleteExpiredPendingLogins(ex: Executor, now: Date): Promise<void> {
  await ex.deleteFrom('pending_logins').where('expires_at', '<=', now).execute();
}
