/**
 * User administration: create, edit (role, area, active, email), passwords. Guards: the last
 * active admin is never demoted or disabled; nobody changes their own role; dispatchers always
 * have an area. Disabling a user or resetting a password ends that user's sessions.
 */
import type { Actor, Role } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { sourceOf, type EventSource } from '../audit/event.js';
import { appendEvent } from '../../storage/events.repository.js';
import { findArea } from '../../storage/areas.repository.js';
import {
  findCredentialsById,
  insertUser,
  listUsers as listUserRows,
  lockActiveAdmins,
  lockUser,
  setPasswordHash,
  updateUser as updateUserRow,
  type UserChanges,
} from '../../storage/users.repository.js';
import type { Executor } from '../../storage/database.js';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './password.js';
import { USERNAME_PATTERN, type User } from './user.js';

export interface NewUserInput {
  username: string;
  password: string;
  role: Role;
  areaId?: string | null | undefined;
  email?: string | null | undefined;
}

async function resolveArea(ex: Executor, role: Role, areaId: string | null | undefined): Promise<string | null> {
  if (role !== 'dispatcher') return null;
  if (!areaId) throw new DomainError('area_required', 'A dispatcher needs a dispatch area');
  const area = await findArea(ex, areaId);
  if (!area?.active) throw new DomainError('validation_failed', `Unknown dispatch area "${areaId}"`);
  return area.id;
}

export function listUsers(ctx: Ctx): Promise<User[]> {
  return listUserRows(ctx.db);
}

/** Creates a user; `source` is the admin (or 'system' for start-up accounts and the CLI). */
export async function createUser(ctx: Ctx, source: EventSource, input: NewUserInput): Promise<User> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new DomainError('validation_failed', 'Username must be 3–32 letters, digits or _ . -');
  }
  assertPasswordPolicy(input.password, input.username);
  const areaId = await resolveArea(ctx.db, input.role, input.areaId);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const user = await insertUser(
      tx,
      { username: input.username, email: input.email ?? null, role: input.role, areaId, passwordHash },
      now,
    );
    if (!user) throw new DomainError('duplicate_username', `The username "${input.username}" is taken`);
    await appendEvent(
      tx,
      source,
      {
        action: 'user.create',
        outcome: 'ok',
        subject: `user:${user.id}`,
        details: { after: { username: user.username, role: user.role, areaId: user.areaId, email: user.email } },
      },
      now,
    );
    return user;
  });
}

export async function updateUser(ctx: Ctx, actor: Actor, id: string, changes: UserChanges): Promise<User> {
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction().execute(async (tx) => {
    // Admin rows first, then the target: always the same order, so two edits cannot deadlock.
    const admins = await lockActiveAdmins(tx);
    const before = await lockUser(tx, id);
    if (!before) throw new DomainError('not_found', 'No such user');
    const role = changes.role ?? before.role;
    if (changes.role !== undefined && changes.role !== before.role && id === actor.userId) {
      throw new DomainError('own_role', 'You cannot change your own role');
    }
    const staysActiveAdmin = role === 'admin' && (changes.active ?? before.active);
    if (before.role === 'admin' && before.active && !staysActiveAdmin && admins.length <= 1) {
      throw new DomainError('last_admin', 'This is the last active admin: make another admin first');
    }
    const next: UserChanges = { ...changes };
    if (role === 'dispatcher') {
      next.areaId = await resolveArea(tx, role, changes.areaId !== undefined ? changes.areaId : before.areaId);
    } else {
      next.areaId = null;
    }
    const after = await updateUserRow(tx, id, next, now);
    await appendEvent(
      tx,
      sourceOf(actor),
      {
        action: 'user.update',
        outcome: 'ok',
        subject: `user:${id}`,
        details: {
          before: { role: before.role, areaId: before.areaId, active: before.active, email: before.email },
          after: { role: after.role, areaId: after.areaId, active: after.active, email: after.email },
        },
      },
      now,
    );
    return after;
  });
  if (!updated.active) await ctx.sessions.revokeUser(id);
  else ctx.sessions.forgetUser(id); // a new role or area applies to the next request (other processes: ADR 0027)
  return updated;
}

export interface PasswordInput {
  password: string;
  currentPassword?: string | undefined;
}

/**
 * An admin resets anyone's password; a user changes their own with the current one.
 * Either way every session of that user ends, except (for a self-change) the one in use.
 */
export async function setPassword(ctx: Ctx, actor: Actor, id: string, input: PasswordInput, currentSessionId?: string): Promise<void> {
  const self = id === actor.userId;
  if (!self && actor.role !== 'admin') throw new DomainError('forbidden', 'Only admins reset other users’ passwords');
  const target = await findCredentialsById(ctx.db, id);
  if (!target) throw new DomainError('not_found', 'No such user');
  if (self) {
    const ok = input.currentPassword !== undefined && (await verifyPassword(target.passwordHash, input.currentPassword));
    if (!ok) throw new DomainError('invalid_current_password', 'The current password is wrong');
  }
  assertPasswordPolicy(input.password, target.username);
  const hash = await hashPassword(input.password);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await setPasswordHash(tx, id, hash, now);
    await appendEvent(
      tx,
      sourceOf(actor),
      { action: self ? 'user.password_change' : 'user.password_reset', outcome: 'ok', subject: `user:${id}` },
      now,
    );
  });
  // A self-change keeps the session it was made from: the user just proved who they are.
  await ctx.sessions.revokeUser(id, self ? currentSessionId : undefined);
}
