/** The A/B tools' comparison (bench/ab-stats.ts): B − A pair by pair, with a Student's-t 95% interval. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, sidesOfPair } from '../../bench/ab-stats.js';

test('pairs alternate which side runs first', () => {
  assert.deepEqual([0, 1, 2, 3].map(sidesOfPair), [
    ['A', 'B'],
    ['B', 'A'],
    ['A', 'B'],
    ['B', 'A'],
  ]);
});

test('a difference the pairs agree on is shown, with its interval', () => {
  // Differences −2, −3, −3: mean −2.667, sd 0.577, t(2 df) 4.30 → half-width 1.433.
  const [sides, diff] = compare('search p99', 'ms', [10, 12, 14], [8, 9, 11], 2);
  assert.equal(sides, 'search p99: A 12.00 ± 2.00 ms; B 9.33 ± 1.53 (mean ± sd of 3 pairs)');
  assert.equal(diff, 'search p99: B − A -2.67 ms (-22.2%), 95% interval -4.10 … -1.23');
});

test('an interval that holds 0 says no difference is shown, and one pair never shows one', () => {
  const [, mixed = ''] = compare('x', 'ms', [10, 10, 10, 10], [12, 8, 11, 9], 1);
  assert.match(mixed, /B − A 0\.0 ms .* — holds 0: no difference shown$/);
  const [, single = ''] = compare('x', 'ms', [10], [5], 1);
  assert.match(single, /holds 0: no difference shown$/);
});
