/**
 * Starts real server / CLI processes for start-up tests and collects their output. Entry points
 * named as `src/….ts` run from the build under test: the source through tsx, or the compiled
 * dist/ with plain node when TEST_DIST=1 (test/helpers/under-test.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { entryArgs, ROOT } from '../helpers/under-test.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const cleanEnv = () => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !/^(DATABASE_URL|REDIS_URL|ADMIN_PASSWORD|CREATE_TEST_USERS|SESSION_SECRET|WORKERS|PORT|DATA_DIR|NODE_TEST_CONTEXT)$/.test(k)
    )
      env[k] = v;
  }
  return env;
};

export interface Server {
  proc: ChildProcess;
  port: number;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
  url(p: string): string;
}

/**
 * Starts the server of the build under test (or `args`); resolves once it listens, or rejects
 * with its output if it exits. The limit is generous: an exit is seen at once, and a busy 2-core
 * CI machine has taken over 60 s to load and migrate.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 180_000, args = entryArgs('src/server.ts')): Promise<Server> {
  const port = Number(env.PORT ?? (await freePort()));
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...cleanEnv(), LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const server: Server = {
    proc,
    port,
    output: () => out,
    exited,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`);
    try {
      const res = await fetch(server.url('/health'));
      if (res.ok) return server;
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start in time:\n${out}`);
}

/** Node arguments for `src/….ts` entry points of the build under test, or other TypeScript through tsx. */
export function nodeArgs(args: string[]): string[] {
  const [entry = '', ...rest] = args;
  return /^src\/.+\.ts$/.test(entry) ? [...entryArgs(entry), ...rest] : ['--import', 'tsx', ...args];
}

/** Runs a command to completion (server start-up failures, CLI). */
export function runNode(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, nodeArgs(args), {
    cwd: ROOT,
    env: { ...cleanEnv(), ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Logs in over HTTP and returns the cookie header and CSRF token. */
export async function httpLogin(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookies = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = (await res.json()) as { csrfToken?: string; error?: { code: string } };
  return { status: res.status, cookie: cookies, csrfToken: body.csrfToken ?? '', body };
}
