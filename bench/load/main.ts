/**
 * Load generator (loopback only; bounded in time). Modes:
 *   paced  — every user acts at --rate actions/s with ±50% jitter (open loop; latency counted
 *            from the scheduled start, so a slow server cannot hide its queue)
 *   ramp   — child scans at a rising arrival rate until p99 passes --limit-ms; reports the highest rate held
 *   closed — --users clients scan children back to back (the throughput ceiling)
 * --warmup S runs the load S seconds before counting (ramp: at the start rate).
 * --client wire (default) sends each user's requests over a bare keep-alive socket (wire.ts);
 * --client http through node:http, as runs before 2026-12-04 did. The generator's own CPU per
 * counted request is printed at the end, and on Linux how long it waited for a core; --sched
 * 'server=PID,PID;postgres=PID,…' adds those processes' waits over the same counted part.
 * --samples FILE writes each counted request (operation, wall-clock start, ms) for bench/stall-overlap.ts.
 * Example: node --import tsx bench/load/main.ts --url http://127.0.0.1:5000 --mode paced --users 200 --seconds 180 --warmup 15
 */
import http from 'node:http';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { LOOP_TICK_MS, monitorLoopDelay } from '../../src/lib/loop-delay.js';
import { BENCH_PASSWORD, BENCH_USER_PREFIX, Session } from './http.js';
import { Wire } from './wire.js';
import { paceUntil } from './pace.js';
import { Recorder, SLOW_MS, table, type OpReport, type Second } from './stats.js';
import { pickOp, SHIFT_MIX, VirtualUser, type KnownCodes } from './scenario.js';
import { describeSched, schedTotals, type SchedTotals } from '../proc.js';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:5000' },
    mode: { type: 'string', default: 'paced' },
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '0' },
    rate: { type: 'string', default: '1' },
    'user-prefix': { type: 'string', default: BENCH_USER_PREFIX },
    password: { type: 'string', default: BENCH_PASSWORD },
    known: { type: 'string', default: 'bench/.data/known-codes.json' },
    'start-rate': { type: 'string', default: '200' },
    'step-rate': { type: 'string', default: '200' },
    'step-seconds': { type: 'string', default: '10' },
    'limit-ms': { type: 'string', default: '50' },
    out: { type: 'string' },
    samples: { type: 'string' },
    sched: { type: 'string', default: '' },
    client: { type: 'string', default: 'wire' },
  },
});

const base = new URL(a.url!);
if (a.client !== 'wire' && a.client !== 'http') throw new Error('--client is wire or http');
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(base.hostname)) throw new Error('the load generator only targets loopback');
const users = Number(a.users);
const seconds = Number(a.seconds);
// Warm-up: the same load first runs this long uncounted (a fresh server compiles its code and
// opens its database connections; the bar is about the shift, the cold start is reported apart).
const warmupMs = Number(a.warmup) * 1000;
const rec = new Recorder();
if (a.samples) rec.keepSamples();
// One keep-alive connection per virtual user, as each handheld has its own. (A shared agent
// reuses its most recent sockets first, so a few connections carried most requests and the
// server's cluster, which spreads connections, left one worker nearly idle: measured.)
const transports: Array<http.Agent | Wire> = [];
const known: KnownCodes = fs.existsSync(a.known!) ? JSON.parse(fs.readFileSync(a.known!, 'utf8')) : { parents: [], bags: [], bills: [] };
const runTag = Date.now().toString(36).slice(-5).toUpperCase();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function loginAll(n: number): Promise<VirtualUser[]> {
  const vus: VirtualUser[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = Array.from({ length: Math.min(20, n - i) }, async (_, j) => {
      const via = a.client === 'wire' ? new Wire(base.hostname, Number(base.port)) : new http.Agent({ keepAlive: true, maxSockets: 1 });
      transports.push(via);
      const s = new Session(base, via);
      await s.login(`${a['user-prefix']}${i + j + 1}`, a.password!);
      return new VirtualUser(i + j + 1, s, rec, known, runTag);
    });
    vus.push(...(await Promise.all(batch)));
  }
  return vus;
}

/** Whose run-queue wait is reported: the generator, and the groups of --sched. */
const schedGroups: Array<[string, number[]]> = [
  ...a
    .sched!.split(';')
    .filter(Boolean)
    .map((g): [string, number[]] => [g.split('=')[0]!, g.split('=')[1]!.split(',').map(Number)]),
  ['generator', [process.pid]],
];
/** The generator's CPU and the groups' run-queue figures when counting starts (after the warm-up). */
let cpuFrom: NodeJS.CpuUsage | undefined;
let schedFrom: SchedTotals[] | undefined;
function startCounting(): void {
  rec.countFrom = performance.now() + warmupMs;
  setTimeout(() => {
    cpuFrom = process.cpuUsage();
    schedFrom = schedGroups.map(([, pids]) => schedTotals(pids));
  }, warmupMs);
}

async function paced(vus: VirtualUser[]): Promise<number> {
  const interval = 1000 / Number(a.rate);
  startCounting();
  const end = rec.countFrom + seconds * 1000;
  await Promise.all(vus.map((vu) => paceUntil(end, interval, (due) => vu.run(pickOp(SHIFT_MIX), due))));
  return seconds;
}

async function closed(vus: VirtualUser[]): Promise<number> {
  startCounting();
  const end = rec.countFrom + seconds * 1000;
  await Promise.all(
    vus.map(async (vu) => {
      while (performance.now() < end) await vu.run('child_scan');
    }),
  );
  return seconds;
}

/** Open-loop arrivals at `rate` for `ms`, spread over the users; each user serves its own queue in order. */
async function arrivals(vus: VirtualUser[], rate: number, ms: number): Promise<void> {
  const queues = vus.map(() => Promise.resolve());
  const start = performance.now();
  const gap = 1000 / rate;
  for (let k = 0, t = start; t < start + ms; k++, t = start + k * gap) {
    if (t > performance.now()) await sleep(t - performance.now());
    const i = k % vus.length;
    queues[i] = queues[i]!.then(() => vus[i]!.run('child_scan', t));
  }
  await Promise.all(queues);
}

/** Raises the arrival rate step by step until p99 passes the limit; the first --warmup seconds run at the start rate, uncounted. */
async function ramp(vus: VirtualUser[]): Promise<{ held: number; steps: Array<{ rate: number; p99: number; achieved: number }> }> {
  const steps: Array<{ rate: number; p99: number; achieved: number }> = [];
  let rate = Number(a['start-rate']);
  let held = 0;
  const stepMs = Number(a['step-seconds']) * 1000;
  if (warmupMs > 0) await arrivals(vus, rate, warmupMs);
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    rec.reset();
    await arrivals(vus, rate, stepMs);
    const p99 = rec.p99('child_scan');
    const achieved = Math.round((rec.report(stepMs / 1000).find((r) => r.op === 'child_scan')?.count ?? 0) / (stepMs / 1000));
    steps.push({ rate, p99: Math.round(p99 * 100) / 100, achieved });
    console.log(`ramp: ${rate}/s → p99 ${p99.toFixed(1)} ms`);
    if (p99 > Number(a['limit-ms']) || rec.unexpectedTotal() > 0) break;
    held = rate;
    rate += Number(a['step-rate']);
  }
  return { held, steps };
}

const vus = await loginAll(users);
// The generator's own event-loop delay: if it stalls, its latencies are its own, not the server's.
const loop = monitorLoopDelay();
console.log(`${vus.length} users logged in; mode ${a.mode}`);
let rows: OpReport[];
let extra: unknown;
if (a.mode === 'ramp') {
  extra = await ramp(vus);
  rows = rec.report(Number(a['step-seconds']));
} else {
  const secs = a.mode === 'closed' ? await closed(vus) : await paced(vus);
  rows = rec.report(secs);
}
console.log(table(rows));
if (extra) console.log(JSON.stringify(extra));
const unexpected = rec.unexpectedTotal();
console.log(`unexpected errors: ${unexpected}`);
const worst = rec.worstSeconds(8);
const hhmmss = (t: number) => new Date(t * 1000).toISOString().slice(11, 19);
const slowOps = (w: Second) =>
  Object.entries(w.slowByOp)
    .sort((x, y) => y[1] - x[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
/** The seconds with the most slow requests, as one line ('' when none was slow). */
const stalls = worst.length
  ? `seconds with most requests over ${SLOW_MS} ms: ${worst.map((w) => `${hhmmss(w.at)} ${w.slow}/${w.count} (max ${Math.round(w.max)}; ${slowOps(w)})`).join(', ')}`
  : '';
if (stalls) console.log(stalls);
if (cpuFrom) {
  const cpu = process.cpuUsage(cpuFrom);
  const counted = rows.reduce((n, r) => n + r.count, 0);
  console.log(
    `load generator CPU (${a.client}): ${((cpu.user + cpu.system) / 1000 / Math.max(1, counted)).toFixed(3)} ms per counted request`,
  );
}
// Linux only: elsewhere schedstat is missing and nothing is printed.
/** The watched threads' waits for a core over the counted part, as one line ('' without --sched). */
const waits =
  schedFrom && schedFrom.at(-1)!.slices > 0
    ? `run queue over the counted part: ${schedGroups.map(([name, pids], i) => `${name} ${describeSched(schedFrom![i]!, schedTotals(pids))}`).join('; ')}`
    : '';
if (waits) console.log(waits);
const delay = loop.read();
console.log(`load generator event-loop delay beyond its ${LOOP_TICK_MS} ms tick: p99 ${delay.p99} ms, max ${delay.max} ms`);
if (a.out)
  fs.writeFileSync(
    a.out,
    JSON.stringify({ mode: a.mode, users, seconds, rows, extra, unexpected, stalls, waits, timeline: rec.timeline() }, null, 2),
  );
// Every counted request, for bench/stall-overlap.ts to line up with the server's pauses.
if (a.samples) fs.writeFileSync(a.samples, JSON.stringify(rec.keptSamples()));
for (const via of transports) via.destroy();
process.exit(unexpected > 0 ? 1 : 0);
