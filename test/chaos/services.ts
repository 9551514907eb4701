/**
 * A throwaway PostgreSQL cluster and redis-server of the chaos test's own, on free ports, so it
 * can restart and flush them without touching a shared database (docs/decisions/0016).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usingPostgres } from '../helpers/database.js';
import { freePort } from '../server/process.js';

/** The newest PostgreSQL server binaries, or why there are none. */
export function findPgBin(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) return { missing: `no PostgreSQL server binaries (initdb, pg_ctl) under ${root}` };
  return { bin: path.join(root, versions[0]!, 'bin') };
}

export const redisServerMissing = () =>
  spawnSync('redis-server', ['--version']).status === 0 ? undefined : 'redis-server is not installed';

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary; as root, as the `postgres` OS user (initdb and postgres refuse root). */
function pgRun(bin: string, args: string[]) {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Why a chaos suite cannot run here (not on PostgreSQL, no server binaries, no redis-server), or undefined. */
export function chaosSkip(pgBin: ReturnType<typeof findPgBin>): string | undefined {
  if (!usingPostgres) return 'chaos runs on PostgreSQL only (set TEST_DATABASE_URL; it starts its own private cluster)';
  return 'missing' in pgBin ? pgBin.missing : redisServerMissing();
}

export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  remove(): void;
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-chaos-pg-'));
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const port = await freePort();
  pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const pgCtl = (...args: string[]) => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const start = () => void pgCtl('-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start');
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    // Fast shutdown: every session is terminated (57P01), as in a restart by an operator.
    stop: () => void pgCtl('-m', 'fast', '-w', 'stop'),
    remove() {
      try {
        pgCtl('-m', 'immediate', '-w', 'stop');
      } catch {
        /* already stopped */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  kill(): void;
  start(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('private redis-server did not start');
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    start,
    kill: () => void proc?.kill('SIGKILL'),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The cluster workers of a server's primary process. */
export const workersOf = (pid: number) =>
  spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
