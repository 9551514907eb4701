/**
 * The one permission table. Routes declare a permission (or 'public'); use cases check the
 * finer rules (area scoping, own-user exceptions) themselves.
 */
import type { Actor, Role } from './actor.js';
import { DomainError } from './errors.js';

const EVERYONE = ['admin', 'biller', 'dispatcher'] as const satisfies readonly Role[];
const OFFICE = ['admin', 'biller'] as const satisfies readonly Role[];
const ADMIN = ['admin'] as const satisfies readonly Role[];

export const PERMISSIONS = {
  /** Any logged-in user: own session, areas list, pages shell. */
  'session.use': EVERYONE,
  'dashboard.read': EVERYONE,
  'bags.read': EVERYONE,
  'scans.write': EVERYONE,
  'scans.unlink': OFFICE,
  'bags.reopen': OFFICE,
  'bags.delete': ADMIN,
  'bills.read': OFFICE,
  'bills.write': OFFICE,
  'bills.delete': ADMIN,
  'users.manage': ADMIN,
  'areas.read': EVERYONE,
  'areas.manage': ADMIN,
  'audit.read': ADMIN,
  'stats.read': ADMIN,
  /** Own two-factor login (SPEC §6: optional TOTP for admins). */
  'totp.manage': ADMIN,
  'settings.manage': ADMIN,
  'imports.manage': ADMIN,
  /** Exports (SPEC §10): dispatchers get their own area's bags and events only. */
  'exports.bags': EVERYONE,
  'exports.bills': OFFICE,
  'exports.events': EVERYONE,
  'exports.users': ADMIN,
  /** Return tickets (SPEC §11). */
  'returns.read': OFFICE,
  'returns.write': OFFICE,
  /** SPEC §12: the day's report (dispatchers: own area), bill summary, end-of-day e-mail. */
  'reports.read': EVERYONE,
  'reports.bills': OFFICE,
  'reports.email': ADMIN,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Pick<Actor, 'role'>, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

export function assertCan(actor: Pick<Actor, 'role'>, permission: Permission): void {
  if (!can(actor, permission)) throw new DomainError('forbidden', 'Your role may not do this');
}
