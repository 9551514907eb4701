/**
 * Per-user activity for admins: accepted scans today / in 7 days on the users list, and a page
 * per user with 30 days of scans per day, the latest scans and the last login. Every figure is
 * counted from the history rows the scans wrote; nothing is estimated.
 */
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import type { User } from './user.js';
import { findUserById } from '../../storage/users.repository.js';
import {
  recentScansOf,
  scanCountsByUser,
  scansPerDay,
  type DayCount,
  type RecentScan,
  type ScanCounts,
} from '../../storage/activity.repository.js';

export const ACTIVITY_DAYS = 30;
export type { DayCount, RecentScan, ScanCounts };

export function scanCountsFor(ctx: Ctx, users: User[], timeZone: string): Promise<Map<string, ScanCounts>> {
  return scanCountsByUser(
    ctx.db,
    users.map((u) => u.id),
    ctx.clock.now(),
    timeZone,
  );
}

export interface UserActivity {
  user: User;
  scansToday: number;
  scans7Days: number;
  days: DayCount[];
  recent: RecentScan[];
}

export async function userActivity(ctx: Ctx, userId: string, timeZone: string): Promise<UserActivity> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new DomainError('not_found', 'No such user');
  const now = ctx.clock.now();
  const [days, recent] = await Promise.all([scansPerDay(ctx.db, userId, now, timeZone, ACTIVITY_DAYS), recentScansOf(ctx.db, userId, 20)]);
  const last7 = days.slice(-7);
  return {
    user,
    scansToday: last7[last7.length - 1]?.accepted ?? 0,
    scans7Days: last7.reduce((n, d) => n + d.accepted, 0),
    days,
    recent,
  };
}
