/**
 * The run-queue figures the shift prints (bench/proc.ts): read from /proc for real threads, and
 * described as the difference of two readings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describeSched, schedTotals } from '../../bench/proc.js';

const linux = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`);

test('schedTotals counts this process’s time on a core and its times scheduled in, and grows as it runs', { skip: !linux }, () => {
  const before = schedTotals([process.pid]);
  // 30 ms of this process's own CPU time, however long a busy machine makes that take.
  const from = process.cpuUsage();
  while ((process.cpuUsage(from).user + process.cpuUsage(from).system) / 1000 < 30);
  const after = schedTotals([process.pid]);
  assert.ok(before.slices > 0, 'a running process has been scheduled in');
  assert.ok(after.runMs - before.runMs >= 20, `ran ${after.runMs - before.runMs} ms of a 30 ms spin`);
  assert.ok(after.waitMs >= before.waitMs && after.slices >= before.slices);
});

test('schedTotals counts nothing for a process that is gone', () => {
  assert.deepEqual(schedTotals([2 ** 22 + 12345]), { runMs: 0, waitMs: 0, slices: 0 });
});

test('describeSched gives the wait, the run and the wait per wake-up between two readings', () => {
  const a = { runMs: 1000, waitMs: 200, slices: 100 };
  const b = { runMs: 7000, waitMs: 2400, slices: 13_850 };
  assert.equal(describeSched(a, b), 'waited 2.20 s for a core while running 6.00 s (0.160 ms a wake-up)');
  assert.equal(describeSched(a, a), 'waited 0.00 s for a core while running 0.00 s (0.000 ms a wake-up)');
});
