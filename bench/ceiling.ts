/**
 * The cost-per-scan table of issue 14 / SPEC §8, in one run: child scans/s and CPU per child
 * scan for the app (closed loop), the app's statements through `pg` (raw-baseline.ts) and through
 * `pgbench -M prepared` (pgbench/app-child-scan.sql: named statements, as the app sends them;
 * `--only …,same` adds `-M extended`, which plans every call), and the minimal write set through pgbench
 * (pgbench/minimal.sql), at each client count; and the floor (bench/floor/): bare fastify with
 * two trivial pg round trips per request, in as many workers, the Node CPU no app can go under
 * on this machine. Rounds alternate them, so noise from other work on the machine falls on all
 * alike; the table shows the median of the rounds (of two, their mean).
 *
 * Throughput is counted in the database (child rows inserted in the sampling window; the floor's
 * requests by its client), CPU from
 * /proc: utime+stime of the server's processes (primary and workers) and of the PostgreSQL
 * backends connected to this database, sampled every 200 ms. PostgreSQL must run on this host.
 * The app and the floor run once per worker count (--workers 1,2: the shipped default, WORKERS=1,
 * and the setup, 2), each its own server; the bar is judged for each. The app runs with
 * the database pool it ships with (`DB_POOL_SIZE`, default 4 per process); the floor, which does
 * not batch, with a connection per client.
 * Each app server first runs the load --warmup seconds (default 10) at the largest client count,
 * uncounted, as the paced runs do: a fresh server's first seconds (code not yet optimised, pool
 * connections opened and their statements prepared) are its start, not its speed. (The floor's
 * server is started afresh for each of its runs.)
 * Every contender's client shares the machine, so its CPU per scan is shown too (the last column;
 * raw-baseline is its own client and server). The app's load goes over bare keep-alive sockets
 * (bench/load/wire.ts, `--client wire`), as cheap a client as the generator has; `--client http`
 * sends it through node:http, as runs before 2026-12-04 did (about twice the client CPU per scan).
 * Usage: DATABASE_URL=… node --import tsx bench/ceiling.ts [--clients 8,32] [--seconds 15] [--rounds 3] [--workers 1,2] [--warmup 10] [--seed-bags 2000000] [--client wire|http]
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Bench, measure, measureApp, run, type Sample, type Server, sleep, startServer, waitFor, freePort } from './app-run.js';
import { prepareBenchDatabase } from './bench-db.js';
import { pgbenchCommand } from './pgbench/args.js';

const { values: a } = parseArgs({
  options: {
    clients: { type: 'string', default: '8,32' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '3' },
    'seed-bags': { type: 'string', default: '2000000' },
    only: { type: 'string', default: 'app,floor,raw,prepared,minimal' },
    workers: { type: 'string', default: process.env.WORKERS ?? '1,2' },
    warmup: { type: 'string', default: '10' },
    client: { type: 'string', default: 'wire' },
  },
});
const url = process.env.DATABASE_URL ?? '';
if (!url) throw new Error('DATABASE_URL is required (a PostgreSQL database on this host)');
const seconds = Number(a.seconds);
if (a.client !== 'wire' && a.client !== 'http') throw new Error('--client is wire or http');
const appClient = a.client;
const db = new pg.Client({ connectionString: url });
await db.connect();
const bench: Bench = { db, seconds };

// ---- setup: seed if needed, the pgbench parents and the minimal tables -------------------------
await prepareBenchDatabase(db, a['seed-bags']!);

// ---- the server ----------------------------------------------------------------------------------
// What ships (`npm start`): the compiled server, not the TypeScript through tsx.
console.log('building…');
await run('npm', ['run', 'build']);
const maxClients = Math.max(...a.clients!.split(',').map(Number));
/** The worker counts the app and the floor run with: the shipped default (1) and the setup (2). */
const workerCounts = a.workers!.split(',').map(Number);
/** The floor makes two round trips per request with no batching: a connection per client it serves at once. */
const floorPoolFor = (workers: number) => Math.max(4, Math.ceil(maxClients / workers));
/** One compiled server per worker count, all started before the first round and idle between their own. */
const servers = new Map<number, Server>();
if (a.only!.split(',').includes('app')) for (const w of workerCounts) servers.set(w, await startServer('dist', w));
const stopServers = () => {
  for (const s of servers.values()) if (s.child.exitCode === null) s.child.kill('SIGTERM');
};

// ---- the contenders: the app and the floor at each worker count, raw pg, pgbench ------------
type Kind = 'app' | 'floor' | 'raw' | 'same' | 'prepared' | 'minimal';
/** The floor (bench/floor/): bare fastify + two pg round trips, in as many workers as the app. */
async function floorOnce(c: number, workers: number): Promise<Sample> {
  const fport = await freePort();
  const fserver = run('node', [
    '--import',
    'tsx',
    'bench/floor/server.ts',
    '--port',
    String(fport),
    '--workers',
    String(workers),
    '--pool',
    String(floorPoolFor(workers)),
  ]);
  await waitFor(fserver.child, 'floor listening');
  await sleep(500);
  const job = run('node', [
    '--import',
    'tsx',
    'bench/floor/client.ts',
    '--port',
    String(fport),
    '--clients',
    String(c),
    '--seconds',
    String(seconds + 3),
  ]);
  let done = 0;
  job.child.stdout?.on('data', (d: Buffer) => {
    const m = String(d).match(/progress (\d+)\s*$/);
    if (m) done = Number(m[1]);
  });
  const s = await measure(bench, sleep(1500), { server: fserver.child.pid, client: job.child.pid, requests: () => done });
  await job;
  fserver.child.kill('SIGTERM');
  await fserver.catch(() => {});
  return s;
}

/** `workers` is the app's or the floor's worker count (the other contenders have none). */
async function once(kind: Kind, c: number, workers: number): Promise<Sample> {
  if (kind === 'floor') return floorOnce(c, workers);
  if (kind === 'app') return measureApp(bench, servers.get(workers)!, c, appClient);
  let job: Promise<string> & { child: ChildProcess };
  let ready: Promise<void>;
  if (kind === 'raw') {
    job = run('node', ['--import', 'tsx', 'bench/raw-baseline.ts', '--clients', String(c), '--seconds', String(seconds + 3), '--coalesce']);
    ready = sleep(1500);
  } else {
    const file = kind === 'minimal' ? 'bench/pgbench/minimal.sql' : 'bench/pgbench/app-child-scan.sql';
    const pgbench = pgbenchCommand(url, {
      clients: c,
      seconds: seconds + 3,
      mode: kind === 'minimal' ? 'simple' : kind === 'same' ? 'extended' : 'prepared',
      file,
    });
    job = run('pgbench', pgbench.args, { env: pgbench.env });
    ready = sleep(300);
  }
  const s = await measure(bench, ready, { client: kind === 'raw' ? undefined : job.child.pid, minimal: kind === 'minimal' });
  await job.catch((e) => {
    throw new Error(`${kind} failed: ${e.message}`);
  });
  return s;
}

const kinds = a.only!.split(',') as Kind[];
/** The app and the floor once per worker count, the others once: `kind` or `kind/wN`. */
interface Contender {
  kind: Kind;
  workers: number;
  key: string;
}
const perWorkers = (k: Kind) => k === 'app' || k === 'floor';
const contenders: Contender[] = kinds.flatMap((kind): Contender[] =>
  perWorkers(kind) ? workerCounts.map((workers) => ({ kind, workers, key: `${kind}/w${workers}` })) : [{ kind, workers: 0, key: kind }],
);
/** The median; of an even count, the mean of the middle two (each column alike, none favoured). */
const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const results: Record<string, Sample[]> = {};
const clientCounts = a.clients!.split(',').map(Number);
if (Number(a.warmup) > 0) {
  const warm = { ...bench, seconds: Number(a.warmup) };
  const most = Math.max(...clientCounts);
  for (const t of contenders.filter((t) => t.kind === 'app')) {
    const s = await measureApp(warm, servers.get(t.workers)!, most, appClient);
    console.log(`  warm-up ${t.key} c=${most}: ${Math.round(s.scansPerSecond)}/s (not counted)`);
  }
}
for (const c of clientCounts) {
  for (let r = 0; r < Number(a.rounds); r++) {
    for (const t of r % 2 === 0 ? contenders : [...contenders].reverse()) {
      const s = await once(t.kind, c, t.workers);
      (results[`${t.key}@${c}`] ??= []).push(s);
      console.log(
        `  round ${r + 1} ${t.key} c=${c}: ${Math.round(s.scansPerSecond)}/s, node ${r2(s.nodeMs)} ms, pg ${r2(s.pgMs)} ms, client ${r2(s.clientMs)} ms per scan`,
      );
    }
  }
}
stopServers();
await db.end();

const label: Record<Kind, string> = {
  app: 'app, closed loop',
  floor: 'floor: fastify + 2 trivial pg round trips (per request)',
  raw: 'raw-baseline (pg, app socket)',
  same: 'pgbench, app SQL (-M extended)',
  prepared: 'pgbench, app SQL (-M prepared)',
  minimal: 'pgbench, minimal write set',
};
const lines = [
  '',
  `| clients | what | child scans/s | Node CPU ms/scan | PG CPU ms/scan | client CPU ms/scan |`,
  '|---|---|---|---|---|---|',
];
const verdict: string[] = [];
for (const c of a.clients!.split(',').map(Number)) {
  const m = (key: string) => {
    const xs = results[`${key}@${c}`];
    return (
      xs && {
        tps: median(xs.map((x) => x.scansPerSecond)),
        node: median(xs.map((x) => x.nodeMs)),
        pg: median(xs.map((x) => x.pgMs)),
        client: median(xs.map((x) => x.clientMs)),
      }
    );
  };
  for (const t of contenders) {
    const v = m(t.key)!;
    const what = perWorkers(t.kind) ? `${label[t.kind]}, WORKERS=${t.workers}` : label[t.kind];
    lines.push(
      `| ${c} | ${what} | ${Math.round(v.tps)} | ${perWorkers(t.kind) ? r2(v.node) : '—'} | ${r2(v.pg)} | ${v.client ? r2(v.client) : '—'} |`,
    );
  }
  const min = m('minimal');
  for (const w of workerCounts) {
    const app = m(`app/w${w}`);
    if (!app || !min) continue;
    const ratio = app.tps / min.tps;
    const pgRatio = app.pg / min.pg;
    verdict.push(
      `${c} clients, WORKERS=${w}: app/minimal throughput ${r1(ratio * 100)}% (bar ≥ 50%: ${ratio >= 0.5 ? 'MET' : 'missed'}); ` +
        `Node ${r2(app.node)} ms/scan (bar ≤ 0.5: ${app.node <= 0.5 ? 'MET' : 'missed'}); PG ${r2(app.pg)} vs minimal ${r2(min.pg)} ms/scan = ${r2(pgRatio)}× (bar ≤ 2×: ${pgRatio <= 2 ? 'MET' : 'missed'})`,
    );
  }
}
console.log([...lines, '', ...verdict].join('\n'));
