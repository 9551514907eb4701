/**
 * Chaos with a real scan station (issue 12, SPEC §8–§9): a person wedge-scans three parents'
 * children in Chromium while a server worker is SIGKILLed, PostgreSQL is restarted, and Redis
 * is flushed and restarted (which ends the session: the station holds its scans until the
 * person logs in again). Afterwards every scanned child is stored once, in the parent it was
 * scanned into, with one history row, and the station's outbox is empty. Runs on a private
 * PostgreSQL cluster and redis-server like faults.test.ts; skipped without them or a browser.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { buildClient } from '../../scripts/build-client.js';
import { chromiumMissing, HANDHELD, launchChromium } from '../helpers/chromium.js';
import { startServer, type Server } from '../server/process.js';
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

const pgBin = findPgBin();
const skip = chaosSkip(pgBin) ?? chromiumMissing;
if (skip) console.log(`# chaos station suite skipped: ${skip}`);

const ADMIN_PASSWORD = 'chaos-station-pass-2026';
let pgPrivate: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let server: Server | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  await server?.stop();
  redis?.kill();
  pgPrivate?.remove();
});

const children = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

async function scan(page: Page, code: string) {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await sleep(150); // a person's pace between bags; the scanner itself types at full speed
}

async function logIn(page: Page) {
  await page.goto('/login?next=/scan');
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', ADMIN_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/scan'), page.click('button.primary')]);
  await page.waitForSelector('#station[data-ready="true"]');
}

/** What the station's IndexedDB outbox still holds (page-side code as text: this file has no DOM types). */
const OUTBOX_COUNT = `new Promise((resolve, reject) => {
  const req = indexedDB.open('tracetrack-station');
  req.onerror = () => reject(req.error);
  req.onsuccess = () => {
    const db = req.result;
    const names = [...db.objectStoreNames];
    if (names.length === 0) return resolve(0);
    const count = db.transaction(names).objectStore(names[0]).count();
    count.onsuccess = () => resolve(count.result);
    count.onerror = () => reject(count.error);
  };
})`;
const outbox = async (page: Page) => Number(await page.evaluate(OUTBOX_COUNT));

test('a scan station loses nothing and counts nothing twice through a worker kill, a PostgreSQL restart and a Redis flush', {
  skip,
  timeout: 290_000,
}, async () => {
  const started = Date.now();
  await buildClient({ quiet: true });
  pgPrivate = await startPrivatePostgres((pgBin as { bin: string }).bin);
  redis = await startPrivateRedis();
  server = await startServer({
    DATABASE_URL: pgPrivate.url,
    REDIS_URL: redis.url,
    WORKERS: '2',
    SESSION_SECRET: 'chaos-station-secret-chaos-station-secret',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
  });
  while ((server.output().match(/Server listening at/g) ?? []).length < 2) await sleep(100);
  browser = await launchChromium();
  const context = await browser.newContext({ baseURL: server.url(''), viewport: HANDHELD });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await logIn(page);

  const plan: Record<string, string[]> = { SB01001: children('KA', 20), SB01002: children('KB', 20), SB01003: children('KC', 20) };
  const report: string[] = [];

  // 1. Parent one: ten children, a worker SIGKILLed, ten more at once.
  await scan(page, 'SB01001');
  for (const c of plan.SB01001!.slice(0, 10)) await scan(page, c);
  const [victim] = workersOf(server.proc.pid!);
  assert.ok(victim, 'a worker process');
  process.kill(victim, 'SIGKILL');
  for (const c of plan.SB01001!.slice(10)) await scan(page, c);

  // 2. Parent two: PostgreSQL stops after five children and comes back ten children later.
  await scan(page, 'SB01002');
  for (const c of plan.SB01002!.slice(0, 5)) await scan(page, c);
  let t0 = Date.now();
  pgPrivate.stop();
  for (const c of plan.SB01002!.slice(5, 15)) await scan(page, c);
  pgPrivate.start();
  report.push(`PostgreSQL down ${Date.now() - t0} ms while 10 children were scanned`);
  for (const c of plan.SB01002!.slice(15)) await scan(page, c);

  // 3. Parent three: Redis loses every session; the station keeps its scans until a new login.
  await scan(page, 'SB01003');
  for (const c of plan.SB01003!.slice(0, 5)) await scan(page, c);
  t0 = Date.now();
  spawnSync('redis-cli', ['-u', redis.url, 'flushall']);
  redis.kill();
  await sleep(1000);
  await redis.start();
  for (const c of plan.SB01003!.slice(5)) await scan(page, c);
  // The session is gone: the station says so and holds what it could not send.
  await page.waitForFunction(`!document.querySelector('#st-blocked').hidden`, undefined, { timeout: 60_000 });
  const held = await outbox(page);
  assert.ok(held > 0, 'scans wait on the device while the session is gone');
  await logIn(page);
  report.push(`Redis flush: ${held} scans held on the device until the login ${Date.now() - t0} ms later`);

  // Everything drains once the person is back.
  const deadline = Date.now() + 120_000;
  while ((await outbox(page)) > 0) {
    assert.ok(Date.now() < deadline, `the outbox still holds ${await outbox(page)} scans`);
    await sleep(250);
  }

  const db = new pg.Client({ connectionString: pgPrivate.url });
  await db.connect();
  try {
    const stored = await db.query<{ code: string; parent: string | null; linked: string }>(
      `select c.code, p.code as parent,
              (select count(*) from events e where e.action = 'scan.child' and e.outcome = 'linked' and e.subject = c.code) as linked
         from bags c left join bags p on p.id = c.parent_id where c.type = 'child' and c.code ~ '^K[ABC]'`,
    );
    const byCode = new Map(stored.rows.map((r) => [r.code, r]));
    for (const [parent, codes] of Object.entries(plan)) {
      for (const code of codes) {
        const row = byCode.get(code);
        assert.ok(row, `${code} is stored`);
        assert.equal(row.parent, parent, `${code} is in ${parent}`);
        assert.equal(Number(row.linked), 1, `${code}: one "linked" history row`);
      }
    }
    assert.equal(stored.rows.length, 60, 'nothing stored that was not scanned');
    const counts = await db.query<{ code: string; child_count: number }>(
      `select code, child_count from bags where code like 'SB0100%' order by code`,
    );
    assert.deepEqual(
      counts.rows.map((r) => [r.code, r.child_count]),
      [
        ['SB01001', 20],
        ['SB01002', 20],
        ['SB01003', 20],
      ],
    );
  } finally {
    await db.end();
  }
  assert.equal(server.proc.exitCode, null, 'the server kept running');
  assert.deepEqual(pageErrors, [], 'no script error on the page');
  for (const line of report) console.log(`# chaos station: ${line}`);
  console.log(`# chaos station: 63 scans through three faults, all stored once, in ${Math.round((Date.now() - started) / 1000)} s`);
});
