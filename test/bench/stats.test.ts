/**
 * The load generator's bookkeeping (bench/load/stats.ts): a stall second names the operations
 * slow in it, so a second of slow scans reads apart from a second when everything waited.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recorder, SLOW_MS } from '../../bench/load/stats.js';

test('the worst seconds count slow requests by operation, and only the slow ones', () => {
  const rec = new Recorder();
  rec.countFrom = -Infinity;
  rec.record('child_scan', SLOW_MS + 10, 201);
  rec.record('child_scan', SLOW_MS + 30, 201);
  rec.record('search', SLOW_MS + 1, 200);
  rec.record('search', SLOW_MS - 1, 200);
  rec.record('dashboard', 3, 200);
  const worst = rec.worstSeconds();
  const byOp: Record<string, number> = {};
  for (const w of worst) for (const [op, n] of Object.entries(w.slowByOp)) byOp[op] = (byOp[op] ?? 0) + n;
  assert.deepEqual(byOp, { child_scan: 2, search: 1 });
  assert.equal(
    worst.reduce((n, w) => n + w.slow, 0),
    3,
  );
  assert.equal(
    rec.timeline().reduce((n, w) => n + w.count, 0),
    5,
  );
});

test('kept samples are the counted requests only, each with its wall-clock start', () => {
  const rec = new Recorder();
  rec.record('search', 5, 200); // before keepSamples(): not kept
  rec.keepSamples();
  rec.countFrom = performance.now() + 60_000;
  rec.record('search', 5, 200); // warm-up: not counted, not kept
  rec.countFrom = -Infinity;
  const before = Date.now();
  rec.record('dashboard', 12.346, 200);
  const kept = rec.keptSamples();
  assert.equal(kept.length, 1);
  const [op, at, ms] = kept[0]!;
  assert.equal(op, 'dashboard');
  assert.equal(ms, 12.35);
  assert.ok(at >= before - 13 && at <= Date.now() - 12, `started ${at}, recorded at ${before}`);
});
