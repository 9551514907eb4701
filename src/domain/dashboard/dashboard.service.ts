/**
 * The dashboard (SPEC §5, §7): totals of parent and child bags, bills by status, scans today,
 * per-area figures for admins, and the latest scan attempts. Figures come from the sharded
 * counters (storage/dashboard.repository.ts), never from counting the tables.
 *
 * Scoping: a dispatcher's figures and recent scans are their area's only; bills are not theirs
 * to see, so their bill counts are zero. "Scans today" counts accepted scans (created, resumed,
 * linked, already linked) since midnight in DISPLAY_TIMEZONE; refused attempts are in the
 * recent list and the timelines, not in the figure.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { HistoryEvent } from '../audit/event.js';
import { scopedArea } from '../areas/area-scope.js';
import { assertCan, can } from '../permissions.js';
import { readCounters } from '../../storage/dashboard.repository.js';
import { recentScans as recentScanRows } from '../../storage/timeline.repository.js';

export interface DashboardStats {
  parentBags: number;
  childBags: number;
  bills: { new: number; processing: number; completed: number };
  scansToday: number;
  /** Admins only. */
  areas?: Array<{ area: string; name: string; parentBags: number; childBags: number }>;
}

export const MAX_RECENT = 100;
export const DEFAULT_RECENT = 20;

export async function dashboardStats(ctx: Ctx, actor: Actor): Promise<DashboardStats> {
  assertCan(actor, 'dashboard.read');
  const c = await readCounters(ctx.db, scopedArea(actor), ctx.clock.now());
  return {
    parentBags: c.parentBags,
    childBags: c.childBags,
    bills: can(actor, 'bills.read') ? c.bills : { new: 0, processing: 0, completed: 0 },
    scansToday: c.scansToday,
    ...(actor.role === 'admin' ? { areas: c.areas } : {}),
  };
}

/** The latest scan attempts, accepted or refused, newest first (dispatchers: their area's). */
export async function recentScans(ctx: Ctx, actor: Actor, limit = DEFAULT_RECENT): Promise<HistoryEvent[]> {
  assertCan(actor, 'dashboard.read');
  return recentScanRows(ctx.db, scopedArea(actor), Math.min(Math.max(limit, 1), MAX_RECENT));
}
