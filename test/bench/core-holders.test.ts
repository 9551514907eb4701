/**
 * bench/core-holders.ts: `perf sched timehist` read into slices, and who held the cores while
 * the server's main thread waited for one. A wrong sum here would blame the wrong thread for the
 * paced shift's stalled seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreHolders, holdersTable, parseTimehist } from '../../bench/core-holders.js';

// Server pid 100 (main thread 100, a V8 helper 101); a backend 200; the idle task. Times in s, ms.
const TIMEHIST = `
           time    cpu  task name                       wait time  sch delay   run time
                        [tid/pid]                          (msec)     (msec)     (msec)
--------------- ------  ------------------------------  ---------  ---------  ---------
      10.010000 [0001]  node[101/100]                       0.000      0.000     10.000
      10.010000 [0000]  postgres[200]                       1.000      0.500      6.000
      10.012000 [0000]  node[100]                           4.000      8.000      2.000
      10.020000 [0001]  <idle>                              0.000      0.000     10.000
      10.021000 [0000]  node[100]                           0.500      1.000      1.000
`;

test('timehist lines become slices; the header and rule lines are skipped; tid/pid and a lone pid both read', () => {
  const slices = parseTimehist(TIMEHIST);
  assert.equal(slices.length, 5);
  assert.deepEqual(slices[0], { end: 10.01, cpu: 1, task: 'node', tid: 101, pid: 100, delay: 0, run: 10 });
  assert.equal(slices[2]!.tid, 100);
  assert.equal(slices[2]!.pid, 100, 'a main thread is printed as task[pid]');
  assert.equal(slices[3]!.task, '<idle>');
});

test('the holders during the main thread’s long waits: only the overlap with each wait counts', () => {
  // The main thread's slice ending at 10.012 ran 2 ms after waiting 8: its wait is 10.002–10.010.
  // The helper ran 10.000–10.010 (8 ms of it in the wait), the backend 10.004–10.010 (6 ms).
  // Its 1-ms wait before 10.020 is under the 2-ms threshold, so it is not one of the waits.
  const result = coreHolders(parseTimehist(TIMEHIST), 100, 2);
  assert.equal(result.waits, 1);
  assert.equal(Math.round(result.waitMs * 1000) / 1000, 8);
  const by = Object.fromEntries(result.holders.map((h) => [h.holder, h]));
  assert.equal(Math.round(by['server: other threads (V8 helpers)']!.duringWaitsMs * 1000) / 1000, 8);
  assert.equal(Math.round(by.postgres!.duringWaitsMs * 1000) / 1000, 6);
  assert.equal(by['server: main thread']!.duringWaitsMs, 0, 'the waiting thread holds nothing');
  assert.equal(by['server: main thread']!.runMs, 3);
  assert.equal(by['server: main thread']!.delayMs, 9);
  assert.equal(by.idle!.duringWaitsMs, 0);
  assert.equal(result.holders[0]!.holder, 'server: other threads (V8 helpers)', 'sorted by time held during the waits');
});

test('a lower threshold counts the short wait too, and the table says how many', () => {
  const result = coreHolders(parseTimehist(TIMEHIST), 100, 1);
  assert.equal(result.waits, 2);
  assert.match(holdersTable(result, 1), /waited 1 ms or more for a core 2 times, 9\.0 ms in all/);
  assert.match(holdersTable(result, 1), /\| postgres \| 6\.0 \| 0\.5 \| 6\.0 \|/);
});
