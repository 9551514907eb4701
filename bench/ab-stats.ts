/**
 * The comparison an A/B benchmark prints (pg-ab.ts, app-ab.ts). Runs alternate A, B, B, A, … and
 * each pair's two runs are next to each other in time, so the difference is taken pair by pair
 * (B − A of pair i): drift on the machine between pairs falls out. Printed: each side's mean ± sd,
 * then the mean difference with its 95% interval (Student's t over the pairs' differences); an
 * interval that holds 0 shows no difference.
 */
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
/** Two-sided 95% quantiles of Student's t for 1–10 degrees of freedom; 2.0 beyond. */
const T95 = [Number.NaN, 12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23];

/** The order of the two sides in pair `i`: A first in even pairs, B first in odd ones. */
export const sidesOfPair = (i: number): Array<'A' | 'B'> => (i % 2 === 0 ? ['A', 'B'] : ['B', 'A']);

/** Two lines on one measure (`what`, in `unit`): the sides, and B − A with its interval. a[i] and b[i] are pair i. */
export function compare(what: string, unit: string, a: number[], b: number[], digits = 3): string[] {
  const n = Math.min(a.length, b.length);
  const d = Array.from({ length: n }, (_, i) => b[i]! - a[i]!);
  const half = (T95[n - 1] ?? 2.0) * (sd(d) / Math.sqrt(n));
  const md = mean(d);
  const f = (x: number) => x.toFixed(digits);
  return [
    `${what}: A ${f(mean(a))} ± ${f(sd(a))} ${unit}; B ${f(mean(b))} ± ${f(sd(b))} (mean ± sd of ${n} pairs)`,
    `${what}: B − A ${f(md)} ${unit} (${((100 * md) / mean(a)).toFixed(1)}%), 95% interval ${f(md - half)} … ${f(md + half)}` +
      (n > 1 && Math.abs(md) > half ? '' : ' — holds 0: no difference shown'),
  ];
}
