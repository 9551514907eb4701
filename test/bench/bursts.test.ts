/**
 * bench/bursts.ts: a kernel thread's runs grouped into bursts, and the slow requests that met one.
 * A wrong grouping or overlap would blame the machine for tails it did not cause, or hide it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { burstsOf, metByOp, summarize, type Reading } from '../../bench/bursts.js';
import type { Sample } from '../../bench/overlap.js';

// Runs seen at 1005, 1010, 1015 (one burst), then 1520 and 2030 alone.
const readings: Reading[] = [
  [1005, 4],
  [1010, 5],
  [1015, 1],
  [1520, 3],
  [2030, 2],
];

test('readings closer than the gap make one burst, starting its first run before the first reading', () => {
  const bursts = burstsOf(readings, 50);
  assert.deepEqual(bursts, [
    { at: 1001, ms: 14, ran: 10 },
    { at: 1517, ms: 3, ran: 3 },
    { at: 2028, ms: 2, ran: 2 },
  ]);
  assert.equal(burstsOf(readings, 2).length, 5, 'a smaller gap splits them');
});

test('the summary gives the period between bursts, their run times and the share of time inside one', () => {
  const s = summarize(burstsOf(readings, 50), 1000, 3000);
  assert.equal(s.bursts, 3);
  assert.equal(s.period, 516, 'the median of the periods 516 and 511 (the upper of two)');
  assert.equal(s.ranP50, 3);
  assert.equal(s.ranP90, 10);
  assert.equal(s.ranMax, 10);
  assert.equal(s.msPerSecond, 7.5, '15 ms run over 2 s');
  assert.equal(s.covered, 19 / 2000);
  assert.equal(summarize(burstsOf(readings, 50), 1500, 3000).bursts, 2, 'a burst before the span is left out');
});

test('a slow request that met a burst is counted per operation and in all, against the share of fast ones that did', () => {
  const bursts = burstsOf(readings, 50); // 1001–1015, 1517–1520, 2028–2030
  const samples: Sample[] = [
    ['child_scan', 990, 20], // slow, over the first burst
    ['child_scan', 1016, 30], // slow, just after it
    ['child_scan', 1500, 18], // slow, into the second
    ['child_scan', 1518, 2], // fast, in the second
    ['child_scan', 1600, 2], // fast, nothing
    ['search', 2029, 1], // fast, in the third
    ['search', 2500, 40], // slow, nothing
  ];
  const rows = metByOp(samples, bursts, 15);
  assert.deepEqual(rows, [
    { op: 'child_scan', count: 5, slow: 3, slowMet: 2, fastMet: 0.5 },
    { op: 'search', count: 2, slow: 1, slowMet: 0, fastMet: 1 },
    { op: 'all', count: 7, slow: 4, slowMet: 2, fastMet: 2 / 3 },
  ]);
});

test('a request inside a long burst is found past the short ones that started after it', () => {
  const bursts = [
    { at: 0, ms: 900, ran: 900 },
    { at: 100, ms: 1, ran: 1 },
  ];
  assert.equal(metByOp([['x', 500, 20]], bursts, 15)[0]!.slowMet, 1);
  assert.equal(metByOp([['x', 950, 20]], bursts, 15)[0]!.slowMet, 0);
});
