/**
 * The shift's bar (SPEC §8) as numbers, and the judgement of a run against it (shift.ts): 200
 * paced scanners, child scan p99 ≤ 25 ms, search and dashboard p99 ≤ 15 ms, bag and bill page
 * p99 ≤ 50 ms, zero errors — on a machine where the minimal write set reaches 1,500/s or less.
 * A faster machine can show the bar missed (a slower one would not do better), not met: there a
 * run within the bounds is not judged.
 */
import type { OpReport } from './load/stats.js';

/** p99 bound per operation of bench/load's paced shift, in ms. */
export const SHIFT_P99_MS: Readonly<Record<string, number>> = {
  child_scan: 25,
  search: 15,
  dashboard: 15,
  bag_page: 50,
  bill_page: 50,
};
/** The fastest minimal write set (pgbench, 8 clients, scans/s) of a machine the bar is judged on. */
export const QUALIFYING_MINIMAL_PER_S = 1500;

/** What one paced minute misses of the bar; empty when it meets it. */
export function minuteMisses(rows: OpReport[], unexpected: number): string[] {
  const misses: string[] = [];
  for (const [op, bound] of Object.entries(SHIFT_P99_MS)) {
    const row = rows.find((r) => r.op === op);
    if (!row || row.count === 0) misses.push(`no ${op} requests`);
    else if (row.p99 > bound) misses.push(`${op} p99 ${row.p99} ms > ${bound}`);
  }
  if (unexpected > 0) misses.push(`${unexpected} unexpected errors`);
  return misses;
}

export type Verdict = 'met' | 'missed' | 'not judged';

/** Missed when a minute missed (or none ran); met when every minute met on a qualifying machine. */
export function shiftVerdict(minimalPerSecond: number, minutes: string[][]): Verdict {
  if (minutes.length === 0 || minutes.some((m) => m.length > 0)) return 'missed';
  return minimalPerSecond > QUALIFYING_MINIMAL_PER_S ? 'not judged' : 'met';
}
