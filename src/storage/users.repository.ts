/** Users table access. Rows become domain Users here; the hash only leaves in UserCredentials. */
import { sql } from 'kysely';
import type { Role } from '../domain/actor.js';
import type { User, UserCredentials } from '../domain/users/user.js';
import type { Executor, Tx } from './database.js';
import type { UsersTable } from './tables.js';
import type { Selectable } from 'kysely';

type Row = Selectable<UsersTable>;

/** Row → User; exported for stores that read a user in the same statement (sessions). */
export const toUser = (r: Row): User => ({
  id: String(r.id),
  username: r.username,
  email: r.email,
  role: r.role as Role,
  areaId: r.area_id,
  active: r.active,
  lastLoginAt: r.last_login_at,
  createdAt: r.created_at,
  totpEnabled: r.totp_enabled,
});

const toCredentials = (r: Row): UserCredentials => ({
  ...toUser(r),
  passwordHash: r.password_hash,
  failedLogins: r.failed_logins,
  lockedUntil: r.locked_until,
});

export async function findUserById(ex: Executor, id: string): Promise<User | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function findCredentialsByUsername(ex: Executor, username: string): Promise<UserCredentials | undefined> {
  const row = await ex.selectFrom('users').selectAll().where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row && toCredentials(row);
}

export async function findCredentialsById(ex: Executor, id: string): Promise<UserCredentials | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCredentials(row);
}

/** Locks the row: role and active changes check "last admin" against locked rows. */
export async function lockUser(tx: Tx, id: string): Promise<User | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await tx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toUser(row);
}

/** Locks every active admin row, in id order (no deadlocks), and returns their ids. */
export async function lockActiveAdmins(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => String(r.id));
}

export async function listUsers(ex: Executor): Promise<User[]> {
  const rows = await ex.selectFrom('users').selectAll().orderBy(sql`lower(username)`).execute();
  return rows.map(toUser);
}

export interface NewUser {
  username: string;
  email: string | null;
  role: Role;
  areaId: string | null;
  passwordHash: string;
}

/** Returns undefined when the username is taken (unique index on lower(username)). */
export async function insertUser(ex: Executor, u: NewUser, now: Date): Promise<User | undefined> {
  const row = await ex
    .insertInto('users')
    .values({
      username: u.username,
      email: u.email,
      role: u.role,
      area_id: u.areaId,
      password_hash: u.passwordHash,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toUser(row);
}

export interface UserChanges {
  role?: Role;
  areaId?: string | null;
  active?: boolean;
  email?: string | null;
}

export async function updateUser(ex: Executor, id: string, c: UserChanges, now: Date): Promise<User> {
  const row = await ex
    .updateTable('users')
    .set({
      ...(c.role !== undefined ? { role: c.role } : {}),
      ...(c.areaId !== undefined ? { area_id: c.areaId } : {}),
      ...(c.active !== undefined ? { active: c.active } : {}),
      ...(c.email !== undefined ? { email: c.email } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

/** Swaps a hash for a stronger one of the same password, unless it changed meanwhile. */
export async function replacePasswordHash(ex: Executor, id: string, oldHash: string, newHash: string): Promise<void> {
  await ex.updateTable('users').set({ password_hash: newHash }).where('id', '=', id).where('password_hash', '=', oldHash).execute();
}

export async function setPasswordHash(ex: Executor, id: string, passwordHash: string, now: Date): Promise<void> {
  await ex
    .updateTable('users')
    .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Counts a failed login in one atomic statement (safe across processes); on reaching `max`
 * the account locks until `lockUntil` and the counter restarts.
 */
export async function recordFailedLogin(ex: Executor, id: string, max: number, lockUntil: Date): Promise<{ locked: boolean }> {
  const row = await ex
    .updateTable('users')
    .set({
      failed_logins: sql<number>`case when failed_logins + 1 >= ${max} then 0 else failed_logins + 1 end`,
      locked_until: sql<Date>`case when failed_logins + 1 >= ${max} then ${lockUntil}::timestamptz else locked_until end`,
    })
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();
  return { locked: row.failed_logins === 0 && row.locked_until !== null && row.locked_until.getTime() === lockUntil.getTime() };
}

export async function recordSuccessfulLogin(ex: Executor, id: string, now: Date): Promise<void> {
  await ex.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', id).execute();
}
