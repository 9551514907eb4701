/** The arithmetic of bench/stall-overlap.ts: slow requests against the server's pauses. */

/** A request as the load generator keeps it: operation, wall-clock start (ms), duration (ms). */
export type Sample = [op: string, at: number, ms: number];
/** A pause of the server (bench/loop-marks.mjs): a collection, or a loop that did not turn. */
export interface Mark {
  kind: 'gc' | 'gap';
  at: number;
  ms: number;
  /** A gap's time with the main thread on a core, and waiting for one (Linux only). */
  ran?: number;
  waited?: number;
}

export interface OpOverlap {
  op: string;
  count: number;
  slow: number;
  /** Slow requests that overlapped a collection. */
  gc: number;
  /** Slow requests that overlapped a loop gap and no collection. */
  gapOnly: number;
  neither: number;
  /** Shares (0–1) of the other requests that overlapped a collection, and a gap without one. */
  fastGc: number;
  fastGapOnly: number;
}

/** A stretch of wall-clock time: start and length in ms. */
export interface Span {
  at: number;
  ms: number;
}
/** Two stretches share a moment; touching ends do not count. */
export const meet = (a: Span, b: Span) => a.at < b.at + b.ms && b.at < a.at + a.ms;
const spanOf = (s: Sample): Span => ({ at: s[1], ms: s[2] });

/** Per operation, in order of count; a gap that overlaps a collection counts as part of it. */
export function overlapByOp(samples: Sample[], marks: Mark[], slowMs: number): OpOverlap[] {
  const collections = marks.filter((m) => m.kind === 'gc');
  const ofCollection = (m: Mark) => m.kind === 'gc' || collections.some((g) => meet(g, m));
  const gcs = marks.filter(ofCollection);
  const gaps = marks.filter((m) => !ofCollection(m));
  const kind = (s: Sample) => {
    const span = spanOf(s);
    return gcs.some((m) => meet(span, m)) ? 'gc' : gaps.some((m) => meet(span, m)) ? 'gapOnly' : 'neither';
  };
  const ops = [...new Set(samples.map((s) => s[0]))];
  return ops
    .map((op) => {
      const mine = samples.filter((s) => s[0] === op);
      const slow = mine.filter((s) => s[2] > slowMs).map(kind);
      const fast = mine.filter((s) => s[2] <= slowMs).map(kind);
      const share = (k: string) => (fast.length ? fast.filter((x) => x === k).length / fast.length : 0);
      const n = (k: string) => slow.filter((x) => x === k).length;
      return {
        op,
        count: mine.length,
        slow: slow.length,
        gc: n('gc'),
        gapOnly: n('gapOnly'),
        neither: n('neither'),
        fastGc: share('gc'),
        fastGapOnly: share('gapOnly'),
      };
    })
    .sort((x, y) => y.count - x.count);
}

/** The markdown table bench/stall-overlap.ts prints, with the marks' totals over the samples' span. */
export function overlapTable(samples: Sample[], marks: Mark[], slowMs: number): string {
  const from = samples.reduce((t, s) => Math.min(t, s[1]), Infinity);
  const to = samples.reduce((t, s) => Math.max(t, s[1] + s[2]), -Infinity);
  const within = marks.filter((m) => meet(m, { at: from, ms: to - from }));
  const sum = (ms: number[]) => Math.round(ms.reduce((s, v) => s + v, 0));
  const total = (k: Mark['kind']) => {
    const ms = within.filter((m) => m.kind === k).map((m) => m.ms);
    return `${ms.length} ${k === 'gc' ? 'collections' : 'loop gaps'} (${sum(ms)} ms)`;
  };
  // Where the gaps' time went, when the marks say: the thread working, or waiting for a core.
  const split = within.filter((m) => m.kind === 'gap' && m.ran !== undefined);
  const gapTime = split.length
    ? ` (the main thread over the gaps: ${sum(split.map((m) => m.ran!))} ms on a core, ${sum(split.map((m) => m.waited!))} ms waiting for one)`
    : '';
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `over ${((to - from) / 1000).toFixed(0)} s: ${total('gc')}, ${total('gap')}${gapTime}`,
    `| operation | requests | over ${slowMs} ms | with a collection | with a gap only | neither | fast ones with a collection / a gap only |`,
    '|---|---|---|---|---|---|---|',
    ...overlapByOp(samples, within, slowMs).map(
      (r) => `| ${r.op} | ${r.count} | ${r.slow} | ${r.gc} | ${r.gapOnly} | ${r.neither} | ${pct(r.fastGc)} / ${pct(r.fastGapOnly)} |`,
    ),
  ].join('\n');
}
