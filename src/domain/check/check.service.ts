/**
 * Consistency checks run by `tracetrack check`: each recomputes stored counters from the facts
 * they summarise and lists every difference; `--fix` rewrites the differing counters from the
 * recount. CHECKS is a plain list so another feature adds its own check by appending one entry.
 */
import type { Ctx } from '../context.js';
import type { Executor, Tx } from '../../storage/database.js';
import {
  billCounterDifferences,
  fixBillCounters,
  fixParentCounts,
  parentCountDifferences,
  type CounterDifference,
} from '../../storage/check.repository.js';
import { dashboardCountersCheck } from '../dashboard/dashboard-check.js';
import { fixTicketCounters, ticketCounterDifferences } from '../../storage/return-check.repository.js';

export type { CounterDifference };

export interface Check {
  /** Short stable name, printed with each difference. */
  name: string;
  description: string;
  find(ex: Executor): Promise<CounterDifference[]>;
  /** Rewrites the named subjects from a recount (optional: some checks only report). */
  fix?(tx: Tx, subjects: string[]): Promise<void>;
}

export const CHECKS: Check[] = [
  {
    name: 'parent-child-count',
    description: "each parent's child count equals the children linked to it",
    find: parentCountDifferences,
    fix: fixParentCounts,
  },
  {
    // After the parent check: a fixed parent count never feeds the bill recount (children are counted directly).
    name: 'bill-counters',
    description: "each bill's parents, children, actual and expected weight equal a recount of its links",
    find: billCounterDifferences,
    fix: fixBillCounters,
  },
  dashboardCountersCheck,
  {
    name: 'return-ticket-counters',
    description: "each return ticket's bags, children and weight equal a recount of the bags on it",
    find: ticketCounterDifferences,
    fix: fixTicketCounters,
  },
];

export interface CheckResult {
  check: string;
  differences: CounterDifference[];
  fixed: boolean;
}

/** Runs every check (in order); with `fix`, each check's differences are repaired in its own transaction. */
export async function runChecks(ctx: Ctx, opts: { fix?: boolean; checks?: readonly Check[] } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of opts.checks ?? CHECKS) {
    const differences = await check.find(ctx.db);
    let fixed = false;
    if (opts.fix && check.fix && differences.length > 0) {
      const subjects = [...new Set(differences.map((d) => d.subject))];
      await ctx.db.transaction().execute((tx) => check.fix!(tx, subjects));
      fixed = true;
    }
    results.push({ check: check.name, differences, fixed });
  }
  return results;
}
