/** Latency and outcome bookkeeping per operation; percentiles from the full sample list. */
export interface OpReport {
  op: string;
  count: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  refusals: Record<string, number>;
  unexpected: Record<string, number>;
}

/** Codes that are the rules saying no (expected in a real shift), not failures of the system. */
export const RULE_REFUSALS = new Set([
  'parent_full',
  'parent_completed',
  'already_linked_other_parent',
  'wrong_bag_type',
  'bill_completed',
  'capacity_reached',
  'already_linked_other_bill',
  'bag_not_found',
  'parent_not_found',
  'bill_not_found',
  'wrong_area',
  'invalid_format',
  'duplicate_bill',
  'nothing_to_undo',
]);

/** One second of the run: requests started in it, how many took over SLOW_MS (and of which operations), the worst. */
export interface Second {
  at: number;
  count: number;
  slow: number;
  max: number;
  slowByOp: Record<string, number>;
}
export const SLOW_MS = 50;

export class Recorder {
  private readonly samples = new Map<string, number[]>();
  /** By wall-clock second (Unix time), so stalls can be lined up with vmstat or pg samples. */
  private readonly seconds = new Map<number, Second>();
  /** Requests scheduled before this (performance.now()) are warm-up: not counted. */
  countFrom = 0;
  private readonly refusals = new Map<string, Map<string, number>>();
  private readonly unexpected = new Map<string, Map<string, number>>();
  /** Each counted request as [operation, wall-clock start in ms, duration in ms], once keepSamples() is called. */
  private kept: Array<[string, number, number]> | undefined;

  keepSamples() {
    this.kept = [];
  }

  keptSamples(): Array<[string, number, number]> {
    return this.kept ?? [];
  }

  record(op: string, ms: number, status: number, code?: string) {
    if (performance.now() - ms < this.countFrom) return;
    this.kept?.push([op, Date.now() - ms, round(ms)]);
    let s = this.samples.get(op);
    if (!s) this.samples.set(op, (s = []));
    s.push(ms);
    const at = Math.floor((Date.now() - ms) / 1000);
    let sec = this.seconds.get(at);
    if (!sec) this.seconds.set(at, (sec = { at, count: 0, slow: 0, max: 0, slowByOp: {} }));
    sec.count++;
    if (ms > SLOW_MS) {
      sec.slow++;
      sec.slowByOp[op] = (sec.slowByOp[op] ?? 0) + 1;
    }
    if (ms > sec.max) sec.max = round(ms);
    if (status >= 200 && status < 300) return;
    const bucket = status < 500 && code && RULE_REFUSALS.has(code) ? this.refusals : this.unexpected;
    let m = bucket.get(op);
    if (!m) bucket.set(op, (m = new Map()));
    const key = code ?? `http_${status}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  unexpectedTotal(): number {
    let n = 0;
    for (const m of this.unexpected.values()) for (const v of m.values()) n += v;
    return n;
  }

  report(seconds: number): OpReport[] {
    return [...this.samples.entries()]
      .map(([op, s]) => {
        const sorted = [...s].sort((a, b) => a - b);
        const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0);
        return {
          op,
          count: s.length,
          perSecond: round(s.length / seconds),
          p50: at(0.5),
          p95: at(0.95),
          p99: at(0.99),
          max: round(sorted[sorted.length - 1] ?? 0),
          refusals: Object.fromEntries(this.refusals.get(op) ?? []),
          unexpected: Object.fromEntries(this.unexpected.get(op) ?? []),
        };
      })
      .sort((a, b) => b.count - a.count);
  }

  /** p99 of one operation so far, for the ramp mode. */
  p99(op: string): number {
    const s = this.samples.get(op);
    if (!s?.length) return 0;
    const sorted = [...s].sort((a, b) => a - b);
    return sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  }

  /** The seconds with the most slow requests (a stall shows as many at once). */
  worstSeconds(n = 10): Second[] {
    return [...this.seconds.values()]
      .filter((x) => x.slow > 0)
      .sort((a, b) => b.slow - a.slow)
      .slice(0, n);
  }

  timeline(): Second[] {
    return [...this.seconds.values()].sort((a, b) => a.at - b.at);
  }

  reset() {
    this.samples.clear();
    this.seconds.clear();
    this.refusals.clear();
    this.unexpected.clear();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export function table(rows: OpReport[]): string {
  const lines = [
    '| operation | count | per s | p50 ms | p95 ms | p99 ms | max ms | rule refusals | unexpected |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const fmt = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '0';
  for (const r of rows)
    lines.push(
      `| ${r.op} | ${r.count} | ${r.perSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${fmt(r.refusals)} | ${fmt(r.unexpected)} |`,
    );
  return lines.join('\n');
}
