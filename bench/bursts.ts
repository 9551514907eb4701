/**
 * The arithmetic of bench/kthread-bursts.ts: a kernel thread's runs, read from its schedstat every
 * few ms, grouped into bursts, and the slow requests of a paced run that met one (issue 14).
 */
import { meet, type Sample } from './overlap.js';

/** One reading that saw the thread run: when it was taken (ms, wall clock) and the ms it ran since the last. */
export type Reading = [at: number, ranMs: number];
/** A burst: from the estimated start of its first run to its last reading, and the ms it ran. */
export interface Burst {
  at: number;
  ms: number;
  ran: number;
}

/** Readings less than `gapMs` apart belong to one burst; a burst starts `ran` ms before its first reading. */
export function burstsOf(readings: Reading[], gapMs: number): Burst[] {
  const bursts: Burst[] = [];
  let last = -Infinity;
  for (const [at, ran] of readings) {
    const open = bursts[bursts.length - 1];
    if (open && at - last < gapMs) {
      open.ms = at - open.at;
      open.ran += ran;
    } else bursts.push({ at: at - ran, ms: ran, ran });
    last = at;
  }
  return bursts;
}

export interface BurstSummary {
  bursts: number;
  /** Median time from one burst's start to the next one's, ms. */
  period: number;
  /** The bursts' run time: median, 90th percentile, longest (ms); and in all, ms per second of the span. */
  ranP50: number;
  ranP90: number;
  ranMax: number;
  msPerSecond: number;
  /** Share (0–1) of the span inside a burst. */
  covered: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0;
};

/** The bursts that fall in [from, to), summed up. */
export function summarize(bursts: Burst[], from: number, to: number): BurstSummary {
  const inside = bursts.filter((b) => b.at < to && b.at + b.ms > from);
  const starts = inside.map((b) => b.at);
  const periods = starts.slice(1).map((t, i) => t - starts[i]!);
  const ran = inside.map((b) => b.ran);
  const span = Math.max(to - from, 1);
  return {
    bursts: inside.length,
    period: quantile(periods, 0.5),
    ranP50: quantile(ran, 0.5),
    ranP90: quantile(ran, 0.9),
    ranMax: quantile(ran, 1),
    msPerSecond: (ran.reduce((s, v) => s + v, 0) * 1000) / span,
    covered: inside.reduce((s, b) => s + b.ms, 0) / span,
  };
}

export interface Met {
  op: string;
  count: number;
  slow: number;
  /** Slow requests whose span met a burst. */
  slowMet: number;
  /** Share (0–1) of the other requests that met one: what chance alone gives a request. */
  fastMet: number;
}

/** Per operation (and `all`), how many requests over `slowMs` met a burst, against the fast ones. */
export function metByOp(samples: Sample[], bursts: Burst[], slowMs: number): Met[] {
  const sorted = [...bursts].sort((a, b) => a.at - b.at);
  const meets = ([, at, ms]: Sample) => {
    // Back from the last burst that starts before the request ends, until none could still be running.
    for (let i = upperBound(sorted, at + ms) - 1; i >= 0; i--) {
      const b = sorted[i]!;
      if (meet(b, { at, ms })) return true;
      if (b.at + LONGEST_BURST_MS < at) return false;
    }
    return false;
  };
  const row = (op: string, mine: Sample[]): Met => {
    const slow = mine.filter((s) => s[2] > slowMs);
    const fast = mine.filter((s) => s[2] <= slowMs);
    return {
      op,
      count: mine.length,
      slow: slow.length,
      slowMet: slow.filter(meets).length,
      fastMet: fast.length ? fast.filter(meets).length / fast.length : 0,
    };
  };
  const ops = [...new Set(samples.map((s) => s[0]))];
  return [
    ...ops
      .map((op) =>
        row(
          op,
          samples.filter((s) => s[0] === op),
        ),
      )
      .sort((x, y) => y.count - x.count),
    row('all', samples),
  ];
}

/** No burst is taken to last longer than this when looking back for one (a second: far over any seen). */
const LONGEST_BURST_MS = 1000;

/** Index of the first burst starting at or after `t`. */
function upperBound(sorted: Burst[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
