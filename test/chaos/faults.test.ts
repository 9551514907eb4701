/**
 * Chaos (issue 12, SPEC §8): 20 clients scan children with scanIds, retrying every failure with
 * the same scanId, while a cluster worker is SIGKILLed, PostgreSQL is restarted (and a worker
 * killed while it is down) and Redis is flushed and restarted. Afterwards every acknowledged
 * scan is stored exactly once, `tracetrack check` agrees with the counters, and the server
 * recovered by itself. Runs on a private PostgreSQL cluster and redis-server (services.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { httpLogin, runNode, startServer, type Server } from '../server/process.js';
import {
  chaosSkip,
  findPgBin,
  sleep,
  startPrivatePostgres,
  startPrivateRedis,
  workersOf,
  type PrivatePostgres,
  type PrivateRedis,
} from './services.js';
import { ScanClient, type Ack } from './scan-client.js';

const pgBin = findPgBin();
const skip = chaosSkip(pgBin);
if (skip) console.log(`# chaos suite skipped: ${skip}`);

const CLIENTS = 20;
const ADMIN_PASSWORD = 'chaos-boss-pass-2026';
let pgPrivate: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let server: Server | undefined;

after(async () => {
  await server?.stop();
  redis?.kill();
  pgPrivate?.remove();
});

test('faults mid-shift lose no acknowledged scan and count none twice; the server recovers by itself', {
  skip,
  timeout: 290_000,
}, async () => {
  const started = Date.now();
  pgPrivate = await startPrivatePostgres((pgBin as { bin: string }).bin);
  redis = await startPrivateRedis();
  const env = {
    DATABASE_URL: pgPrivate.url,
    REDIS_URL: redis.url,
    WORKERS: '2',
    SESSION_SECRET: 'chaos-secret-chaos-secret-chaos-secret-00',
    ADMIN_PASSWORD,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'info', // each worker's 'Server listening' line tells when it serves
  };
  server = await startServer(env, 150_000);
  const base = server.url('');
  const admin = await httpLogin(base, 'admin', ADMIN_PASSWORD);
  assert.equal(admin.status, 200);
  for (let i = 1; i <= 4; i++) {
    const res = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ username: `chaos_biller_${i}`, password: 'chaos-biller-pass-1', role: 'biller' }),
    });
    assert.equal(res.status, 201, await res.text());
  }

  const clients = Array.from({ length: CLIENTS }, (_, i) => new ScanClient(base, `chaos_biller_${(i % 4) + 1}`, 'chaos-biller-pass-1', i));
  const probe = new ScanClient(base, 'chaos_biller_1', 'chaos-biller-pass-1', 90);
  let running = true;
  const loops = clients.map(async (c) => {
    await c.start();
    while (running) await c.scanNext();
  });

  /** Time from `from` until the probe gets a scan acknowledged. */
  async function recovered(from: number): Promise<number> {
    for (;;) {
      if (await probe.tryOnce()) return Date.now() - from;
      assert.equal(server!.proc.exitCode, null, `the server stopped:\n${server!.output()}`);
      await sleep(50);
    }
  }
  const listening = () => (server!.output().match(/Server listening at/g) ?? []).length;
  /** Waits until `n` worker starts have been logged; the time it took from `from`. */
  async function listened(n: number, from: number): Promise<number> {
    while (listening() < n) {
      assert.equal(server!.proc.exitCode, null, `the server stopped:\n${server!.output()}`);
      await sleep(100);
    }
    return Date.now() - from;
  }
  await listened(2, Date.now());
  await probe.start();
  await sleep(5000);
  const report: string[] = [];

  // 1. A worker is SIGKILLed.
  const [victim] = workersOf(server.proc.pid!);
  assert.ok(victim, 'a worker process');
  let t0 = Date.now();
  process.kill(victim, 'SIGKILL');
  const firstAck = await recovered(t0);
  report.push(
    `worker SIGKILL: first acknowledged scan after ${firstAck} ms; the replacement worker served after ${await listened(3, t0)} ms`,
  );
  await sleep(3000);

  // 2. PostgreSQL restarts (fast shutdown). While it is down a worker is killed too, and its
  // replacement fails to start for want of the database: the primary must try again, not stop.
  t0 = Date.now();
  pgPrivate.stop();
  const [second] = workersOf(server.proc.pid!);
  process.kill(second!, 'SIGKILL');
  while (!server.output().includes('could not reach the database')) {
    assert.equal(server.proc.exitCode, null, `the server stopped while PostgreSQL was down:\n${server.output()}`);
    assert.ok(Date.now() - t0 < 90_000, 'the replacement worker never tried to start');
    await sleep(100);
  }
  const down = await fetch(`${base}/health?check_db=true`).catch(() => undefined);
  assert.equal(down?.status, 503, 'health says the database is down');
  assert.deepEqual(((await down!.json()) as { down: string[] }).down, ['database']);
  pgPrivate.start();
  const back = Date.now();
  const sinceBack = await recovered(back);
  report.push(
    `PostgreSQL restart (${back - t0} ms down, a worker killed meanwhile): first acknowledged scan ${sinceBack} ms after it was back; the retried worker served ${await listened(4, back)} ms after`,
  );
  await sleep(3000);

  // 3. Redis loses everything (flushed, killed) and comes back empty: sessions are gone.
  t0 = Date.now();
  spawnSync('redis-cli', ['-u', redis.url, 'flushall']);
  redis.kill();
  await sleep(2000);
  await redis.start();
  const redisBack = Date.now();
  report.push(
    `Redis flush + restart (${redisBack - t0} ms down): first acknowledged scan ${await recovered(redisBack)} ms after it was back`,
  );
  await sleep(3000);

  running = false;
  await Promise.all(loops);

  // The server recovered by itself: still running, both workers serving, health green.
  assert.equal(server.proc.exitCode, null, server.output());
  const health = await fetch(`${base}/health?check_db=true`);
  assert.equal(health.status, 200, await health.text());
  assert.equal(workersOf(server.proc.pid!).length, 2, 'two workers again');

  // Every acknowledged scan stored exactly once, nothing stored that was not acknowledged.
  const acks: Ack[] = [...clients, probe].flatMap((c) => c.acks);
  const replays = [...clients, probe].reduce((n, c) => n + c.retries, 0);
  const db = new pg.Client({ connectionString: pgPrivate.url });
  await db.connect();
  try {
    const stored = await db.query<{ code: string; parent: string; n: string }>(
      `select c.code, p.code as parent, (select count(*) from events e where e.action = 'scan.child' and e.outcome = 'linked' and e.subject = c.code) as n
         from bags c join bags p on p.id = c.parent_id where c.type = 'child' and c.code like 'X%'`,
    );
    const byCode = new Map(stored.rows.map((r) => [r.code, r]));
    for (const ack of acks) {
      const row = byCode.get(ack.code);
      assert.ok(row, `acknowledged ${ack.code} is stored`);
      assert.equal(row.parent, ack.parent, `${ack.code} in ${ack.parent}`);
      assert.equal(Number(row.n), 1, `${ack.code}: one history row`);
    }
    assert.equal(stored.rows.length, acks.length, 'every stored chaos child was acknowledged');
    assert.deepEqual(
      acks.filter((a) => a.outcome !== 'linked'),
      [],
      'a retry replays the first answer, never a second scan',
    );
  } finally {
    await db.end();
  }
  const check = runNode(['src/cli.ts', 'check'], { DATABASE_URL: pgPrivate.url, SESSION_SECRET: env.SESSION_SECRET });
  assert.equal(check.status, 0, check.out);

  const odd = [...clients, probe].flatMap((c) => [...c.odd.entries()].map(([k, n]) => `${k}×${n}`));
  assert.deepEqual(odd, [], 'no answer but 200, 401 and 503 (and dropped connections) during the faults');
  console.log(
    `# chaos: ${acks.length} scans acknowledged by ${CLIENTS} clients (${replays} retried at least once), in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const line of report) console.log(`# chaos: ${line}`);
  assert.ok(acks.length > 200, `enough scans went through (${acks.length})`);
});
