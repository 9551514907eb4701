/**
 * Two server processes on one PostgreSQL (and Redis when TEST_REDIS_URL is set) share
 * sessions, lockouts and login rate limits; WORKERS=2 serves through node:cluster.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.js';
import net from 'node:net';
import { httpLogin, runNode, startServer, type Server } from './process.js';

const skip = !usingPostgres && 'needs TEST_DATABASE_URL (the embedded database serves one process only)';
const LIMIT = 12;
let database: TestDatabase | undefined;
let a: Server | undefined;
let b: Server | undefined;

before(async () => {
  if (skip) return;
  database = await openTestDatabase();
  if (process.env.TEST_REDIS_URL) {
    const r = new Redis(process.env.TEST_REDIS_URL);
    await r.flushdb();
    r.disconnect();
  }
});
after(async () => {
  await a?.stop();
  await b?.stop();
  await database?.close();
});

const env = () => ({
  DATABASE_URL: database!.url!,
  SESSION_SECRET: 'multi-process-secret-multi-process-secret',
  ADMIN_PASSWORD: 'shared-boss-pass-1',
  LOGIN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  LOG_LEVEL: 'warn',
  ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
});

test('sessions, lockout and login rate limit hold across two processes', { skip }, async () => {
  a = await startServer(env());
  b = await startServer(env());
  let logins = 0;
  const loginAt = (s: Server, user: string, pw: string) => {
    logins++;
    return httpLogin(s.url(''), user, pw);
  };

  // A session made on A works on B; logging out on B ends it on A.
  const admin = await loginAt(a, 'admin', 'shared-boss-pass-1');
  assert.equal(admin.status, 200);
  const onB = await fetch(b.url('/api/auth/session'), { headers: { cookie: admin.cookie } });
  assert.equal(onB.status, 200);
  const created = await fetch(b.url('/api/users'), {
    method: 'POST',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'shift_worker', password: 'night-shift-pass-1', role: 'dispatcher', area: 'indore' }),
  });
  assert.equal(created.status, 201);
  const out = await fetch(b.url('/api/auth/logout'), {
    method: 'POST',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
  });
  assert.equal(out.status, 204);
  assert.equal((await fetch(a.url('/api/auth/session'), { headers: { cookie: admin.cookie } })).status, 401);

  // Failures on both processes add up to one lockout.
  for (const s of [a, b, a, b]) assert.equal((await loginAt(s, 'shift_worker', 'wrong-guess-000')).status, 401);
  assert.equal((await loginAt(b, 'shift_worker', 'wrong-guess-000')).status, 423);
  assert.equal((await loginAt(a, 'shift_worker', 'night-shift-pass-1')).status, 423, 'locked on the other process too');

  // The per-address limit counts requests on both processes together.
  while (logins < LIMIT) {
    const s = logins % 2 === 0 ? a : b;
    assert.notEqual((await loginAt(s, 'nobody_at_all', 'whatever-123')).status, 429, `request ${logins + 1}`);
  }
  assert.equal((await loginAt(a, 'nobody_at_all', 'whatever-123')).status, 429);
  assert.equal((await loginAt(b, 'nobody_at_all', 'whatever-123')).status, 429);
});

test('WORKERS=2 serves through several processes and stops on SIGTERM', { skip }, async () => {
  const cluster = await startServer({ ...env(), WORKERS: '2', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
  try {
    for (let i = 0; i < 10; i++) assert.equal((await fetch(cluster.url('/health'))).status, 200);
    const login = await httpLogin(cluster.url(''), 'admin', 'shared-boss-pass-1');
    assert.equal(login.status, 200);
    for (let i = 0; i < 10; i++) {
      assert.equal((await fetch(cluster.url('/api/auth/session'), { headers: { cookie: login.cookie } })).status, 200);
    }
  } finally {
    assert.equal(await cluster.stop(), 0);
  }
});

test('WORKERS=2 on a port already taken: stops with an error instead of restarting workers forever', { skip }, async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const run = runNode(['src/server.ts'], { ...env(), WORKERS: '2', HOST: '127.0.0.1', PORT: String(port) });
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /could not start/);
    // One failure per worker first forked (WORKERS=2), none from a restarted one.
    assert.ok((run.out.match(/TraceTrack failed to start/g) ?? []).length <= 2, `no restart loop:\n${run.out}`);
  } finally {
    blocker.close();
  }
});
