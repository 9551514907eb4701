/** The shift's bar (bench/shift-bar.ts): which minutes meet it, and when a run is judged at all. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minuteMisses, shiftVerdict } from '../../bench/shift-bar.js';
import type { OpReport } from '../../bench/load/stats.js';

const row = (op: string, p99: number, count = 100): OpReport => ({
  op,
  count,
  perSecond: count / 60,
  p50: p99 / 3,
  p95: p99 / 2,
  p99,
  max: p99 * 2,
  refusals: {},
  unexpected: {},
});
const good = [
  row('child_scan', 24.9),
  row('search', 15),
  row('dashboard', 9),
  row('bag_page', 49),
  row('bill_page', 12),
  row('bill_link', 400),
];

test('a minute within every bound meets the bar; operations without a bound do not count', () => {
  assert.deepEqual(minuteMisses(good, 0), []);
});

test('a p99 over its bound, a missing operation or an unexpected error is a miss, each named', () => {
  const rows = good.map((r) => (r.op === 'search' ? row('search', 15.01) : r)).filter((r) => r.op !== 'bill_page');
  assert.deepEqual(minuteMisses(rows, 2), ['search p99 15.01 ms > 15', 'no bill_page requests', '2 unexpected errors']);
  assert.deepEqual(minuteMisses([...good.slice(1), row('child_scan', 3, 0)], 0), ['no child_scan requests']);
});

test('the verdict: met only on a qualifying machine with every minute met; a miss counts on any machine', () => {
  assert.equal(shiftVerdict(1500, [[], []]), 'met');
  assert.equal(shiftVerdict(1200, [[], ['child_scan p99 30 ms > 25']]), 'missed');
  assert.equal(shiftVerdict(1200, []), 'missed');
  assert.equal(shiftVerdict(1501, [[], []]), 'not judged');
  assert.equal(shiftVerdict(4571, [['search p99 40 ms > 15'], []]), 'missed');
});
