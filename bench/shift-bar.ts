/**
 * The shift's bar (SPEC §8) as numbers, and the judgement of a run against it (shift.ts): 200
 * paced scanners, child scan p99 ≤ 25 ms, search and dashboard p99 ≤ 15 ms, bag and bill page
 * p99 ≤ 50 ms, zero errors — on a machine where the minimal write set reaches 1,500/s or less.
 * On a faster machine the bar says nothing (anything meets it there): the run is not judged.
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

/** Met when the machine qualifies and every minute met the bar. */
export function shiftVerdict(minimalPerSecond: number, minutes: string[][]): Verdict {
  if (minimalPerSecond > QUALIFYING_MINIMAL_PER_S) return 'not judged';
  return minutes.length > 0 && minutes.every((m) => m.length === 0) ? 'met' : 'missed';
}
