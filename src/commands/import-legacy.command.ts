/**
 * `tracetrack import-legacy --from postgres://…`: takes over a site of the old Flask TraceTrack
 * 2.0 (SPEC §13). Reads its tables from one snapshot, copies users (werkzeug hashes kept; argon2id
 * at first login), bags, links, bills, bill links, scans and the audit log (into history) in ONE
 * transaction of ours, recounts the counters, and prints what it copied and what not, and why.
 * Idempotent: users, bags and bills are matched by username / code / bill id, scans and audit rows
 * by the last imported id, tickets by code; a second run copies nothing new.
 */
import { parseArgs } from 'node:util';
import type { Ctx } from '../domain/context.js';
import { runChecks } from '../domain/check/check.service.js';
import { appendEvent } from '../storage/events.repository.js';
import { LEGACY_TABLES, LegacySource } from '../storage/legacy-source.repository.js';
import { importReturnTickets } from '../storage/legacy-returns.repository.js';
import {
  completeBills,
  legacyCompletedBills,
  importAudit,
  importBillLinks,
  importBills,
  importBags,
  importLinks,
  importScans,
  importUsers,
  lastImportedId,
  saveLastImportedId,
  type StepResult,
} from '../storage/legacy-import.repository.js';
import { systemSource } from '../domain/audit/event.js';

export const IMPORT_LEGACY_USAGE = `  import-legacy --from postgres://…         copy an old TraceTrack 2.0 (Flask) database: users (old passwords
                                            keep working), bags, links, bills, scans, audit log, return
                                            tickets; safe to re-run`;

export type ImportSummary = Record<string, StepResult>;

const spec = (legacy: string) => LEGACY_TABLES.find((t) => t.legacy === legacy)!;

export async function importLegacy(ctx: Ctx, fromUrl: string): Promise<ImportSummary> {
  const source = await LegacySource.open(fromUrl);
  try {
    if (!(await source.columnsOf('user')) || !(await source.columnsOf('bag'))) {
      throw new Error('the --from database has no "user" and "bag" tables: is it a TraceTrack 2.0 database?');
    }
    const summary: ImportSummary = {};
    let completed: Array<{ id: string; at: Date | null }> = [];
    await ctx.db.transaction().execute(async (tx) => {
      for (const t of ['user', 'bag', 'link', 'bill', 'bill_bag']) await source.stage(tx, spec(t));
      summary.users = await importUsers(tx);
      summary.bags = await importBags(tx);
      summary.links = await importLinks(tx);
      summary.bills = await importBills(tx);
      summary['bill links'] = await importBillLinks(tx);
      completed = await legacyCompletedBills(tx);
      await source.stage(tx, spec('scan'), await lastImportedId(tx, 'legacy_import.scan_id'));
      summary.scans = await importScans(tx);
      await saveLastImportedId(tx, 'legacy_import.scan_id', 'lg_scan');
      await source.stage(tx, spec('audit_log'), await lastImportedId(tx, 'legacy_import.audit_id'));
      summary['audit log'] = await importAudit(tx);
      await saveLastImportedId(tx, 'legacy_import.audit_id', 'lg_audit');
      // Return tickets after bags and bills: their rows name both (SPEC §11; a site older than the IPT tables has none).
      for (const t of ['return_ticket', 'return_ticket_bag', 'bill_return_event']) await source.stage(tx, spec(t));
      const returns = await importReturnTickets(tx);
      summary['return tickets'] = returns.tickets;
      summary['returned bags'] = returns.bags;
      const changed = Object.values(summary).reduce((n, s) => n + s.copied, 0);
      if (changed > 0) {
        await appendEvent(
          tx,
          systemSource,
          {
            action: 'legacy.import',
            outcome: 'ok',
            subject: null,
            details: { copied: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, v.copied])) },
          },
          ctx.clock.now(),
        );
      }
    });
    // Parents' and bills' counters from the imported links, the way `tracetrack check --fix` does.
    await runChecks(ctx, { fix: true });
    await completeBills(ctx.db, completed);
    return summary;
  } finally {
    await source.close();
  }
}

export function formatSummary(s: ImportSummary): string[] {
  const lines: string[] = [];
  for (const [what, r] of Object.entries(s)) {
    const skipped = Object.entries(r.skipped);
    lines.push(`${what}: ${r.copied} copied${skipped.length ? `, ${skipped.reduce((n, [, c]) => n + c, 0)} not copied` : ''}`);
    for (const [why, n] of skipped) lines.push(`  ${n} × ${why}`);
  }
  return lines;
}

export async function importLegacyCommand(ctx: Ctx, args: string[], print: (l: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
  if (!values.from || !/^postgres(ql)?:\/\//.test(values.from))
    throw new RangeError('import-legacy needs --from postgres://… (the old TraceTrack database)');
  const summary = await importLegacy(ctx, values.from);
  for (const l of formatSummary(summary)) print(l);
  return 0;
}
