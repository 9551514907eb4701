/**
 * Reports (SPEC §12): the day's figures and the bill summary. Figures are counted from the
 * history (storage/reports.repository.ts); a dispatcher's report is their own area's, and
 * shows no bills (bills are not theirs to see), like the dashboard.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError, ERROR_CODES } from '../errors.js';
import { assertAreaAccess, scopedArea } from '../areas/area-scope.js';
import { assertCan, can } from '../permissions.js';
import { dayFigures, hourlyScans, type DayFigures } from '../../storage/reports.repository.js';
import { findArea } from '../../storage/areas.repository.js';
import {
  billSummary as billSummaryRows,
  localMidnight,
  userIdByName,
  type BillSummaryRow,
  type BillTotals,
} from '../../storage/bill-summary.repository.js';
import { daysBetween, localDay, nextDay, parseDay } from './report-day.js';

export interface DailyReport extends DayFigures {
  date: string;
  timezone: string;
  /** The area the figures are limited to, or null for all areas. */
  area: string | null;
}

export interface DailyInput {
  date?: string | undefined;
  area?: string | undefined;
}

/** The day's report; any role (dispatchers: own area only, another area is wrong_area). */
export async function dailyReport(ctx: Ctx, actor: Actor, tz: string, input: DailyInput): Promise<DailyReport> {
  assertCan(actor, 'reports.read');
  const date = input.date ? parseDay(input.date) : localDay(ctx.clock.now(), tz);
  let area = input.area?.trim() || null;
  if (area !== null) {
    assertAreaAccess(actor, area);
    if (!(await findArea(ctx.db, area))) throw new DomainError('not_found', `No area "${area}"`);
  } else {
    area = scopedArea(actor);
  }
  const figures = await dayFigures(ctx.db, { date, tz, area }, ERROR_CODES);
  if (!can(actor, 'bills.read')) figures.bills = { created: 0, completed: 0, byStatus: { new: 0, processing: 0, completed: 0 } };
  return { date, timezone: tz, area, ...figures };
}

/** Today's accepted scans (parent and child) per hour, for the dashboard chart; dispatchers: own area. */
export async function todayHourly(ctx: Ctx, actor: Actor, tz: string): Promise<{ date: string; hourly: number[] }> {
  assertCan(actor, 'dashboard.read');
  const date = localDay(ctx.clock.now(), tz);
  return { date, hourly: await hourlyScans(ctx.db, { date, tz, area: scopedArea(actor) }) };
}

/** The report the end-of-day e-mail sends: all areas, as an admin sees it. */
export async function systemDailyReport(ctx: Ctx, tz: string, date: string): Promise<DailyReport> {
  const figures = await dayFigures(ctx.db, { date, tz, area: null }, ERROR_CODES);
  return { date, timezone: tz, area: null, ...figures };
}

export const MAX_SUMMARY_DAYS = 366;
export const MAX_SUMMARY_ITEMS = 1000;

export interface BillSummary {
  from: string;
  to: string;
  createdBy: string | null;
  items: BillSummaryRow[];
  /** True when there were more bills than MAX_SUMMARY_ITEMS (the totals still cover all). */
  truncated: boolean;
  totals: BillTotals;
}

export interface BillSummaryInput {
  from?: string | undefined;
  to?: string | undefined;
  createdBy?: string | undefined;
}

/**
 * Bills created from `from` to `to` (both days included, display time zone). Billers see
 * their own bills only (another creator is forbidden); admins any creator or all.
 */
export async function billSummary(ctx: Ctx, actor: Actor, tz: string, input: BillSummaryInput): Promise<BillSummary> {
  assertCan(actor, 'reports.bills');
  const today = localDay(ctx.clock.now(), tz);
  const to = input.to ? parseDay(input.to, 'to') : today;
  const from = input.from ? parseDay(input.from, 'from') : to;
  const span = daysBetween(from, to);
  if (span < 0) throw new DomainError('validation_failed', '"from" must not be after "to"');
  if (span >= MAX_SUMMARY_DAYS) throw new DomainError('validation_failed', `At most ${MAX_SUMMARY_DAYS} days at once`);
  let createdBy = input.createdBy?.trim() || null;
  if (actor.role !== 'admin') {
    if (createdBy !== null && createdBy.toLowerCase() !== actor.username.toLowerCase())
      throw new DomainError('forbidden', 'Billers see their own bills only');
    createdBy = actor.username;
  }
  let creatorId: string | null = null;
  if (createdBy !== null) {
    creatorId = (await userIdByName(ctx.db, createdBy)) ?? null;
    if (creatorId === null) throw new DomainError('not_found', `No user "${createdBy}"`);
  }
  const [lo, hi] = [await localMidnight(ctx.db, from, tz), await localMidnight(ctx.db, nextDay(to), tz)];
  const r = await billSummaryRows(ctx.db, { from: lo, to: hi, creatorId, limit: MAX_SUMMARY_ITEMS + 1 });
  return {
    from,
    to,
    createdBy,
    items: r.items.slice(0, MAX_SUMMARY_ITEMS),
    truncated: r.items.length > MAX_SUMMARY_ITEMS,
    totals: r.totals,
  };
}
