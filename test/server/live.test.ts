/**
 * Live events across processes: two servers on one PostgreSQL, a live stream open on one, scans
 * through the other, and the event arrives — over LISTEN/NOTIFY, and over Redis pub/sub when
 * TEST_REDIS_URL is set.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/database.js';
import { liveAbout, openSse, type SseStream } from '../helpers/sse.js';
import { httpLogin, startServer, type Server } from './process.js';

const skip = !usingPostgres && 'needs TEST_DATABASE_URL (the embedded database serves one process only)';
const redisUrl = process.env.TEST_REDIS_URL;
let database: TestDatabase | undefined;
const servers: Server[] = [];
const streams: SseStream[] = [];

before(async () => {
  if (skip) return;
  database = await openTestDatabase();
});
after(async () => {
  for (const s of streams) s.close();
  await Promise.all(servers.map((s) => s.stop()));
  await database?.close();
});

const env = (redis: boolean) => ({
  DATABASE_URL: database!.url!,
  SESSION_SECRET: 'live-process-secret-live-process-secret-0',
  ADMIN_PASSWORD: 'live-boss-pass-11',
  LOG_LEVEL: 'warn',
  ...(redis ? { REDIS_URL: redisUrl! } : {}),
});

async function post(s: Server, path: string, login: { cookie: string; csrfToken: string }, body: object) {
  const res = await fetch(s.url(path), {
    method: 'POST',
    headers: { cookie: login.cookie, 'x-csrf-token': login.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function crossProcess(redis: boolean, codes: [string, string]) {
  const [a, b] = await Promise.all([startServer(env(redis)), startServer(env(redis))]);
  servers.push(a, b);
  try {
    const adminA = await httpLogin(a.url(''), 'admin', 'live-boss-pass-11');
    assert.equal(adminA.status, 200);
    const user = `disp_${codes[0].toLowerCase()}`;
    const made = await post(a, '/api/users', adminA, { username: user, password: 'dock-shift-pass-9', role: 'dispatcher', area: 'indore' });
    assert.equal(made.status, 201);
    const dispatcherB = await httpLogin(b.url(''), user, 'dock-shift-pass-9');
    const adminB = await httpLogin(b.url(''), 'admin', 'live-boss-pass-11');

    const onA = await openSse(a.url('/api/live'), adminA.cookie);
    const onB = await openSse(b.url('/api/live'), adminB.cookie);
    streams.push(onA, onB);
    await onA.next((m) => m.event === 'ready', 10_000);
    await onB.next((m) => m.event === 'ready', 10_000);

    assert.equal((await post(b, '/api/scans/parent', dispatcherB, { code: codes[0] })).status, 200);
    const msg = await onA.next(liveAbout(codes[0]), 10_000);
    const event = JSON.parse(msg.data).find((e: { subject: string }) => e.subject === codes[0]);
    assert.deepEqual([event.action, event.outcome, event.area, event.actor], ['scan.parent', 'created', 'indore', user]);
    await onB.next(liveAbout(codes[0]), 10_000); // and on the process that served the scan

    assert.equal((await post(a, '/api/scans/child', adminA, { parentCode: codes[0], code: codes[1] })).status, 200);
    await onB.next(liveAbout(codes[1]), 10_000);
    // Stopping with dashboards connected: the streams end and both processes exit cleanly.
    assert.deepEqual(await Promise.all([a.stop(), b.stop()]), [0, 0]);
    await Promise.all([onA.ended, onB.ended]);
  } finally {
    for (const s of streams.splice(0)) s.close();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  }
}

test('an event of a scan served by one process reaches a stream open on the other (LISTEN/NOTIFY)', { skip }, async () => {
  await crossProcess(false, ['SB00001', 'C0000001']);
});

test('the same over Redis pub/sub', { skip: skip || (!redisUrl && 'needs TEST_REDIS_URL') }, async () => {
  const r = new Redis(redisUrl!);
  await r.flushdb();
  r.disconnect();
  await crossProcess(true, ['SB00002', 'C0000002']);
});
