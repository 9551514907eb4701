/**
 * End-of-day report e-mail (SPEC §12). Every process runs a timer that calls tick(): once the
 * display-zone time is past EOD_REPORT_TIME and no row for today exists, the process claims the
 * day (a unique row, storage/report-sends.repository.ts) — one claim wins however many processes
 * race — and sends today's report, retrying a failed send with back-off. Every attempt is logged;
 * admins read the log and may "send now" (sent at once, logged, the daily claim untouched).
 * Time comes from the injected clock, so tests drive the schedule.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { assertCan } from '../permissions.js';
import { sourceOf } from '../audit/event.js';
import type { Mailer } from '../../lib/mailer.js';
import { appendEvent } from '../../storage/events.repository.js';
import { claimDay, finishDay, hasDay, logAttempt, recentLog, type SendLogEntry } from '../../storage/report-sends.repository.js';
import { localDay, localTime } from './report-day.js';
import { systemDailyReport, type DailyReport } from './reports.service.js';

export interface EodOptions {
  tz: string;
  /** HH:MM in `tz`. */
  time: string;
  from: string;
  /** Comma-separated addresses. */
  to: string;
  mailer: Mailer;
  /** Waits before the 2nd, 3rd… attempt; its length + 1 is the number of attempts. */
  backoffMs?: number[];
  sleep?: (ms: number) => Promise<void>;
}

export type TickResult = 'not_yet' | 'already_done' | 'claimed_elsewhere' | 'sent' | 'failed' | 'busy';

export interface SendResult {
  ok: boolean;
  attempts: number;
  error: string | null;
}

const DEFAULT_BACKOFF = [5_000, 30_000, 120_000];

/** The message body: the day's figures as plain text. */
export function reportText(r: DailyReport): string {
  const lines = [
    `TraceTrack daily report for ${r.date} (${r.timezone}), all areas.`,
    '',
    `Scans: ${r.scans.parent} parent, ${r.scans.child} child, ${r.scans.refused} refused`,
    `Parents completed: ${r.parents.completed} (${r.parents.short} short)`,
    `Bills: ${r.bills.created} created, ${r.bills.completed} completed; created this day now new ${r.bills.byStatus.new}, processing ${r.bills.byStatus.processing}, completed ${r.bills.byStatus.completed}`,
    `Returns: ${r.returns.tickets} tickets, ${r.returns.bags} bags`,
    '',
    'Child scans per hour:',
    ...r.hourly.map((c, h) => `  ${String(h).padStart(2, '0')}:00  ${c}`).filter((_, h) => r.hourly[h]! > 0),
    '',
    'By area (new parents / child scans):',
    ...r.byArea.filter((a) => a.parentBags + a.childScans > 0).map((a) => `  ${a.area}: ${a.parentBags} / ${a.childScans}`),
    '',
    'By user (child / parent / refused):',
    ...r.byUser.map((u) => `  ${u.username}: ${u.childScans} / ${u.parentScans} / ${u.refused}`),
  ];
  return `${lines.join('\n')}\n`;
}

export class EodReporter {
  private running = false;
  private readonly backoff: number[];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly ctx: Ctx,
    private readonly o: EodOptions,
  ) {
    this.backoff = o.backoffMs ?? DEFAULT_BACKOFF;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms).unref()));
  }

  /** The timer's check: sends today's report if it is time and nobody has yet. */
  async tick(): Promise<TickResult> {
    if (this.running) return 'busy';
    const now = this.ctx.clock.now();
    if (localTime(now, this.o.tz) < this.o.time) return 'not_yet';
    const day = localDay(now, this.o.tz);
    if (await hasDay(this.ctx.db, day)) return 'already_done';
    this.running = true;
    try {
      if (!(await claimDay(this.ctx.db, day, now))) return 'claimed_elsewhere';
      const r = await this.deliver(day, 'schedule');
      await finishDay(this.ctx.db, day, r, this.ctx.clock.now());
      return r.ok ? 'sent' : 'failed';
    } finally {
      this.running = false;
    }
  }

  /** An admin's "send now": today's report so far, at once; one history row. */
  async sendNow(actor: Actor): Promise<SendResult> {
    assertCan(actor, 'reports.email');
    const day = localDay(this.ctx.clock.now(), this.o.tz);
    const r = await this.deliver(day, 'manual');
    await appendEvent(
      this.ctx.db,
      sourceOf(actor),
      { action: 'report.email', outcome: r.ok ? 'sent' : 'failed', subject: `report:${day}`, details: { attempts: r.attempts } },
      this.ctx.clock.now(),
    );
    return r;
  }

  private async deliver(day: string, trigger: 'schedule' | 'manual'): Promise<SendResult> {
    const report = await systemDailyReport(this.ctx, this.o.tz, day);
    const message = { from: this.o.from, to: this.o.to, subject: `TraceTrack daily report ${day}`, text: reportText(report) };
    let error: string | null = null;
    for (let attempt = 1; attempt <= this.backoff.length + 1; attempt++) {
      if (attempt > 1) await this.sleep(this.backoff[attempt - 2]!);
      try {
        await this.o.mailer.send(message);
        await logAttempt(this.ctx.db, { day, at: this.ctx.clock.now(), trigger, attempt, ok: true, recipients: this.o.to, error: null });
        return { ok: true, attempts: attempt, error: null };
      } catch (err) {
        error = ((err as Error).message || String(err)).slice(0, 500);
        await logAttempt(this.ctx.db, { day, at: this.ctx.clock.now(), trigger, attempt, ok: false, recipients: this.o.to, error });
      }
    }
    return { ok: false, attempts: this.backoff.length + 1, error };
  }
}

/** The send log for admins, newest first. */
export async function sendLog(ctx: Ctx, actor: Actor, limit = 50): Promise<SendLogEntry[]> {
  assertCan(actor, 'reports.email');
  return recentLog(ctx.db, limit);
}
