/**
 * Running the compiled app under the closed-loop scan load and measuring it, for ceiling.ts (the
 * cost-per-scan table) and app-ab.ts (two builds against each other): child processes, the CPU of
 * a window from /proc, the server, and one measured run of bench/load (pg-ab.ts runs pgbench
 * with `run` too).
 * PostgreSQL must run on this host (its backends' CPU is read from /proc).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { npmStartFlags } from '../scripts/start-commands.js';
import { cpuTicks, descendants, TICK } from './proc.js';
import { BENCH_PASSWORD, BENCH_USER_PREFIX, Session } from './load/http.js';
import type { OpReport } from './load/stats.js';
import type { Sample as RequestSample } from './overlap.js';
import { Wire } from './load/wire.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child process's output as a promise (rejected on a non-zero exit), with the child itself. */
export function run(
  cmd: string,
  args: string[],
  opts: { stdio?: 'inherit' | 'pipe'; env?: NodeJS.ProcessEnv } = {},
): Promise<string> & { child: ChildProcess } {
  const child = spawn(cmd, args, {
    stdio: opts.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const p = new Promise<string>((res, rej) =>
    child.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-2000)}`)))),
  ) as Promise<string> & { child: ChildProcess };
  p.child = child;
  return p;
}

/** Resolves once the child prints `text`. */
export const waitFor = (child: ChildProcess, text: string) =>
  new Promise<void>((res) => {
    const on = (d: Buffer) => {
      if (String(d).includes(text)) {
        child.stdout?.off('data', on);
        res();
      }
    };
    child.stdout?.on('data', on);
  });

export const freePort = () =>
  new Promise<number>((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
  });

/** Per pid, CPU ticks first and last seen in the window: the sum of differences is the window's CPU. */
export class CpuWindow {
  private seen = new Map<number, { first: number; last: number }>();
  add(pids: number[]): void {
    for (const pid of pids) {
      const t = cpuTicks(pid);
      if (t === undefined) continue;
      const e = this.seen.get(pid);
      if (e) e.last = t;
      else this.seen.set(pid, { first: t, last: t });
    }
  }
  seconds(): number {
    let s = 0;
    for (const e of this.seen.values()) s += e.last - e.first;
    return s / TICK;
  }
}

export interface Sample {
  scansPerSecond: number;
  nodeMs: number;
  pgMs: number;
  /** The load's client (bench/load, pgbench, the floor's client), CPU per scan; 0 when not sampled. */
  clientMs: number;
}

/** What a measured window needs: a connection to the bench database and the window's length. */
export interface Bench {
  db: pg.Client;
  seconds: number;
}

/** The database's backends other than `db`'s own: the server's connections, for their CPU. */
export const backendPids = async (db: pg.Client) =>
  (await db.query(`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)).rows.map(
    (r) => r.pid as number,
  );
const maxIds = async (db: pg.Client) =>
  (await db.query(`select (select max(id) from bags) b, (select max(id) from bench_min.bags) m`)).rows[0] as { b: string; m: string };
const childrenSince = async (db: pg.Client, ids: { b: string; m: string }, minimal: boolean) =>
  minimal
    ? ((await db.query(`select count(*)::int n from bench_min.bags where id > $1`, [ids.m])).rows[0].n as number)
    : ((await db.query(`select count(*)::int n from bags where id > $1 and type = 'child'`, [ids.b])).rows[0].n as number);

/** Whose CPU a window counts, and how it counts scans. */
export interface Measured {
  /** The server's pid (its workers are its descendants); none for pgbench and raw. */
  server?: number | undefined;
  /** The load client's pid. */
  client?: number | undefined;
  /** Scans are rows of bench_min (the minimal set). */
  minimal?: boolean;
  /** For the floor: a running count of requests instead of rows. */
  requests?: () => number;
}

/**
 * Samples a window of `bench.seconds` once `ready` resolves, every 200 ms. Scans are child rows
 * inserted in the window (in bench_min for the minimal set), or for the floor, `requests()`.
 * CPU per scan: the server's processes, the load's client, and the PostgreSQL backends
 * connected to this database.
 */
export async function measure(bench: Bench, ready: Promise<void>, m: Measured): Promise<Sample> {
  const { db, seconds } = bench;
  await ready;
  await sleep(1000); // connections open, caches warm
  const node = new CpuWindow();
  const client = new CpuWindow();
  const pgw = new CpuWindow();
  const nodePids = m.server ? descendants(m.server) : [];
  const clientPids = m.client ? [m.client] : [];
  const sampleAll = async () => {
    node.add(nodePids);
    client.add(clientPids);
    pgw.add(await backendPids(db));
  };
  await sampleAll();
  const ids = await maxIds(db);
  const before = m.requests?.() ?? 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(200);
    await sampleAll();
  }
  const elapsed = (performance.now() - t0) / 1000;
  const scans = m.requests ? m.requests() - before : await childrenSince(db, ids, m.minimal ?? false);
  const perScan = (w: CpuWindow) => (w.seconds() * 1000) / scans;
  return { scansPerSecond: scans / elapsed, nodeMs: perScan(node), pgMs: perScan(pgw), clientMs: perScan(client) };
}

/** `KEY=VALUE,KEY=VALUE` → an environment (a value may hold '=' but not ','). */
export const envOf = (spec: string): NodeJS.ProcessEnv =>
  Object.fromEntries(
    spec
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );

/** An A/B side's `--x-node` flags: those given (`''` for none at all), else those of `npm start`. */
export const nodeFlagsOf = (spec: string | undefined): string[] => (spec === undefined ? npmStartFlags() : spec.split(' ').filter(Boolean));

/** How an A/B's summary names a side's node flags. */
export const nodeFlagsSaid = (spec: string | undefined): string => `node ${nodeFlagsOf(spec).join(' ') || '(no flags)'}`;

export interface Server {
  port: number;
  child: ChildProcess;
}

/**
 * The compiled server of `dir` (`dist`, or a copy of another build inside the repository), with
 * `env` over the bench settings (e.g. NODE_OPTIONS or DB_POOL_SIZE for an A/B of settings) and
 * `nodeFlags` before its script: by default those of `npm start`; flags given replace them (a
 * flag on the command line wins over the same one in NODE_OPTIONS). Its database pool is the one
 * it ships with: DB_POOL_SIZE from the environment, else its default.
 */
export async function startServer(
  dir: string,
  workers: number,
  env: NodeJS.ProcessEnv = {},
  nodeFlags: string[] = npmStartFlags(),
): Promise<Server> {
  const port = await freePort();
  const child = spawn('node', [...nodeFlags, `${dir}/src/server.js`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKERS: String(workers),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      SESSION_SECRET: process.env.SESSION_SECRET ?? 'bench-secret-bench-secret-bench-secret-00',
      ...env,
    },
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { port, child };
    } catch {
      /* not yet */
    }
    if (i > 800 || child.exitCode !== null) throw new Error(`server ${dir} (WORKERS=${workers}) did not start:\n${log.slice(-2000)}`);
    await sleep(250);
  }
}

/** One paced minute as the generator wrote it: its counted operations, its run-queue and slow-seconds lines. */
export interface PacedMinute {
  rows: OpReport[];
  unexpected: number;
  /** The generator's "run queue …" line (empty without `sched`): the watched threads' waits for a core. */
  waits: string;
  /** The generator's line of the seconds with the most slow requests ('' when none was slow). */
  stalls: string;
}

/** Seconds of a paced minute's warm-up before its counted 60 s. */
export const PACED_WARMUP_S = 10;

/**
 * The shift's paced load (issue 14) on a started server, as the shift's bar and its A/B count it:
 * `users` at one action a second, each over one bare socket, 10 s of warm-up, then `seconds`
 * counted (bench/load). `sched` (`server=PIDS;postgres=PIDS`) asks the generator for those
 * threads' run-queue waits; `samples` keeps each counted request (operation, start, ms).
 */
export async function pacedRun(
  server: Server,
  users: string,
  opts: { seconds?: number; sched?: string; samples?: boolean } = {},
): Promise<PacedMinute & { samples: RequestSample[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-paced-'));
  const out = path.join(dir, 'minute.json');
  const kept = path.join(dir, 'samples.json');
  try {
    await run('node', [
      '--import',
      'tsx',
      'bench/load/main.ts',
      ...['--url', `http://127.0.0.1:${server.port}`, '--mode', 'paced', '--users', users, '--rate', '1'],
      ...['--seconds', String(opts.seconds ?? 60), '--warmup', String(PACED_WARMUP_S), '--client', 'wire', '--out', out],
      ...(opts.sched ? ['--sched', opts.sched] : []),
      ...(opts.samples ? ['--samples', kept] : []),
    ]);
    const { rows, unexpected, waits, stalls } = JSON.parse(fs.readFileSync(out, 'utf8')) as PacedMinute;
    const samples: RequestSample[] = opts.samples ? JSON.parse(fs.readFileSync(kept, 'utf8')) : [];
    return { rows, unexpected, waits, stalls, samples };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One minute of the shift's paced load (pacedRun, 60 s counted). */
export async function pacedMinute(server: Server, users: string, sched?: string): Promise<PacedMinute> {
  const { rows, unexpected, waits, stalls } = await pacedRun(server, users, { sched });
  return { rows, unexpected, waits, stalls };
}

/** One measured window of the closed-loop load (bench/load, `users` scanners) on a started server. */
export async function measureApp(bench: Bench, server: Server, users: number, client: 'wire' | 'http' = 'wire'): Promise<Sample> {
  const job = run('node', [
    '--import',
    'tsx',
    'bench/load/main.ts',
    '--url',
    `http://127.0.0.1:${server.port}`,
    '--mode',
    'closed',
    '--users',
    String(users),
    '--seconds',
    String(bench.seconds + 2),
    '--client',
    client,
  ]);
  const s = await measure(bench, waitFor(job.child, 'users logged in'), { server: server.child.pid, client: job.child.pid });
  await job.catch((e) => {
    throw new Error(`app failed: ${e.message}`);
  });
  return s;
}

/**
 * One measured window of a read (`GET path`, e.g. /api/dashboard/stats) sent back to back by
 * `users` sessions of the seeded bench users, each on its own socket: CPU per request.
 */
export async function measureReads(bench: Bench, server: Server, path: string, users: number): Promise<Sample> {
  const sessions = await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      const s = new Session(new URL(`http://127.0.0.1:${server.port}`), new Wire('127.0.0.1', server.port));
      await s.login(`${BENCH_USER_PREFIX}${i + 1}`, BENCH_PASSWORD);
      return s;
    }),
  );
  let done = 0;
  let stop = false;
  const loops = sessions.map(async (s) => {
    while (!stop) {
      const r = await s.request('GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      done++;
    }
  });
  try {
    return await measure(bench, Promise.resolve(), { server: server.child.pid, requests: () => done });
  } finally {
    stop = true;
    await Promise.all(loops);
  }
}
