/**
 * A preload for a server under study (issue 14): records, with wall-clock times, each garbage
 * collection and each stretch of more than GAP_MS in which the event loop did not turn (busy, or
 * its thread waiting for a core), and writes them to $LOOP_MARKS as JSON every two seconds, for
 * bench/stall-overlap.ts to line up with the load generator's `--samples`. On Linux a gap also
 * says how much of it the main thread spent on a core (`ran`) and waiting for one (`waited`), from
 * its /proc schedstat: the rest it was blocked (a system call, a lock).
 *   LOOP_MARKS=/tmp/marks.json node --import ./bench/loop-marks.mjs dist/src/server.js
 * Its 2-ms timer wakes the process 500 times a second: a tool to find causes, not to judge a bar.
 */
import fs from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const file = process.env.LOOP_MARKS;
if (!file) throw new Error('loop-marks: set LOOP_MARKS to the file to write');
const TICK_MS = 2;
const GAP_MS = 4;
/** @type {Array<{ kind: 'gc' | 'gap', at: number, ms: number, ran?: number, waited?: number }>} */
const marks = [];
const wall = (t) => Math.round((performance.timeOrigin + t) * 100) / 100;
const round = (ms) => Math.round(ms * 100) / 100;

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) marks.push({ kind: 'gc', at: wall(e.startTime), ms: round(e.duration) });
}).observe({ entryTypes: ['gc'] });

// The main thread's time on a core and waiting for one, in ns (the first two fields of schedstat).
let stat = -1;
try {
  stat = fs.openSync('/proc/thread-self/schedstat', 'r');
} catch {
  /* not Linux: gaps without the split */
}
const buf = Buffer.alloc(128);
const sched = () => {
  if (stat < 0) return [0, 0];
  const text = buf.toString('latin1', 0, fs.readSync(stat, buf, 0, buf.length, 0));
  return text.split(' ', 2).map(Number);
};

let last = performance.now();
let [lastRan, lastWaited] = sched();
setInterval(() => {
  const now = performance.now();
  const [ran, waited] = sched();
  const late = now - last - TICK_MS;
  if (late > GAP_MS) {
    const mark = { kind: 'gap', at: wall(last + TICK_MS), ms: round(late) };
    if (stat >= 0) Object.assign(mark, { ran: round((ran - lastRan) / 1e6), waited: round((waited - lastWaited) / 1e6) });
    marks.push(mark);
  }
  last = now;
  lastRan = ran;
  lastWaited = waited;
}, TICK_MS).unref();
setInterval(() => fs.writeFileSync(file, JSON.stringify(marks)), 2000).unref();
