/**
 * What a kernel thread's bursts do to the shift's tail (issue 14). Starts the built server as
 * `npm start` does, runs the shift's paced load (bench/load, `--users` at one action a second,
 * 10 s warm-up, `--seconds` counted) and meanwhile reads the thread's schedstat every 5 ms. Prints
 * the thread's bursts (how often, how long, its CPU per second), each operation's p50/p99, and how
 * many requests over --slow-ms met a burst against the share of the others that did (chance).
 *
 * Made for the VM's DAMON thread (`kdamond`, twenty-ninth and thirtieth runs of docs/benchmarks.md):
 * every 0.5 s it walks the page tables of the pages it samples. `--damon-off` (a diagnostic, never
 * a way to pass a bar) stops the machine's DAMON for the run and starts it again afterwards.
 *   npm run build && DATABASE_URL=… node --import tsx bench/kthread-bursts.ts [--seconds 120] [--thread kdamond] [--damon-off]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { burstsOf, metByOp, type Reading, summarize } from './bursts.js';
import { pacedRun, startServer } from './app-run.js';
import { damonRunning } from './proc.js';

const { values: a } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    users: { type: 'string', default: '200' },
    thread: { type: 'string', default: 'kdamond' },
    'slow-ms': { type: 'string', default: '15' },
    'damon-off': { type: 'boolean', default: false },
  },
});
if (!process.env.DATABASE_URL) throw new Error('usage: DATABASE_URL=… bench/kthread-bursts.ts [--seconds 120] [--damon-off]');

// ---- the machine's DAMON, stopped for a diagnostic run and always started again ----------------
const wasOn = damonRunning();
const restore = () => {
  for (const f of wasOn) if (fs.readFileSync(f, 'utf8').trim() !== 'on') fs.writeFileSync(f, 'on');
};
if (a['damon-off']) {
  process.on('exit', restore);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  for (const f of wasOn) fs.writeFileSync(f, 'off');
}

/** The pid of the first thread whose name starts with `name` (kernel threads are processes here). */
function threadPid(name: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith(name)) return Number(pid);
    } catch {
      /* gone */
    }
  }
  return undefined;
}
const ranNs = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

const pid = threadPid(a.thread!);
const readings: Reading[] = [];
let last = pid === undefined ? 0 : ranNs(pid);
const watch = setInterval(() => {
  if (pid === undefined) return;
  const now = ranNs(pid);
  if (now !== last) readings.push([Date.now(), (now - last) / 1e6]);
  last = now;
}, 5);

const server = await startServer('dist', 1);
let paced: Awaited<ReturnType<typeof pacedRun>>;
try {
  paced = await pacedRun(server, a.users!, { seconds: Number(a.seconds), samples: true });
} finally {
  clearInterval(watch);
  server.child.kill('SIGTERM');
}
const { rows, unexpected, samples } = paced;

// ---- what the counted part saw --------------------------------------------------------------------
const from = Math.min(...samples.map((s) => s[1]));
const to = Math.max(...samples.map((s) => s[1] + s[2]));
const slowMs = Number(a['slow-ms']);
const damon = a['damon-off'] ? `, the machine's DAMON stopped (${wasOn.length} kdamond)` : '';
console.log(`${a.users} paced users, ${((to - from) / 1000).toFixed(0)} s counted${damon}; unexpected errors ${unexpected}`);
console.log(rows.map((r) => `${r.op} p50 ${r.p50} p99 ${r.p99}`).join(', '));
if (pid === undefined) {
  console.log(`no thread named ${a.thread}* was running`);
} else {
  const bursts = burstsOf(readings, 50);
  const s = summarize(bursts, from, to);
  console.log(
    `${a.thread} (pid ${pid}): ${s.bursts} bursts, one every ${s.period.toFixed(0)} ms, running ${s.ranP50.toFixed(1)} ms ` +
      `(p90 ${s.ranP90.toFixed(1)}, longest ${s.ranMax.toFixed(1)}); ${s.msPerSecond.toFixed(1)} ms of CPU a second; ` +
      `${(100 * s.covered).toFixed(1)}% of the time inside a burst`,
  );
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(`| operation | requests | over ${slowMs} ms | of those, met a burst | of the others, met a burst |`);
  console.log('|---|---|---|---|---|');
  for (const r of metByOp(samples, bursts, slowMs)) {
    console.log(`| ${r.op} | ${r.count} | ${r.slow} | ${r.slowMet} (${pct(r.slow ? r.slowMet / r.slow : 0)}) | ${pct(r.fastMet)} |`);
  }
}
