#!/usr/bin/env node
// Runs the node:test suites (Node 20's --test takes no globs, so we list the files).
//   node scripts/run-tests.mjs            unit + API suites (embedded PGlite unless TEST_DATABASE_URL is set)
//   node scripts/run-tests.mjs --browser  browser suites (needs /usr/bin/chromium)
//   node scripts/run-tests.mjs --chaos    fault-injection suites (PostgreSQL server binaries needed)
//   node scripts/run-tests.mjs test/api/users.test.ts   just those files
//   TEST_TIMEOUT_MS=600000 node scripts/run-tests.mjs …   another limit per test (default 300 s)
//   TEST_DIST=1 node scripts/run-tests.mjs …   test the compiled dist/ of `npm run build` (test/helpers/under-test.ts)
// Ends with one line "N passed, N failed, N skipped" over every file.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const browser = args.includes('--browser');
const chaos = args.includes('--chaos');
const explicit = args.filter((a) => !a.startsWith('--'));
const SUITES_APART = ['browser', 'chaos'].map((d) => path.join('test', d) + path.sep);

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = explicit.length
  ? explicit
  : browser || chaos
    ? walk(path.join('test', browser ? 'browser' : 'chaos')).sort()
    : walk('test')
        .filter((f) => !SUITES_APART.some((d) => f.startsWith(d)))
        .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const env = { ...process.env, TT_TEST: '1' };
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const cleanups = [];

// Embedded runs: every file starts from one migrated database instead of building its own.
if (!onPostgres) {
  const template = path.join(os.tmpdir(), `tt-pglite-template-${process.pid}.tar`);
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/pglite-template.ts', template], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(made.status ?? 1);
  env.TT_PGLITE_TEMPLATE = template;
  cleanups.push(() => fs.rmSync(template, { force: true }));
}

/**
 * Shards that run at once. PGlite files share nothing: two at a time in one runner. On
 * PostgreSQL each file has its own database, but files flush their Redis database, so files
 * run one at a time per shard and each shard gets a Redis database of its own. Browser and
 * chaos suites drive whole servers: one file at a time.
 */
function shardsFor(list) {
  if (!onPostgres || browser || chaos || list.length < 2)
    return [{ files: list, env, concurrency: onPostgres || browser || chaos ? 1 : 2 }];
  const redis = process.env.TEST_REDIS_URL ? new URL(process.env.TEST_REDIS_URL) : undefined;
  const baseDb = redis ? Number(redis.pathname.slice(1) || '0') : 0;
  return [0, 1].map((i) => {
    const shardEnv = { ...env };
    if (redis) {
      const own = new URL(redis);
      own.pathname = `/${(baseDb + i) % 16}`;
      shardEnv.TEST_REDIS_URL = own.toString();
    }
    return { files: list.filter((_, n) => n % 2 === i), env: shardEnv, concurrency: 1 };
  });
}

// Per test: generous, since a busy 2-core machine runs a server start many times slower; the
// chaos suite restarts whole clusters and a long fuzz run (FUZZ_REQUESTS) takes its time.
const TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS) || (chaos ? 1_200_000 : process.env.FUZZ_REQUESTS ? 3_600_000 : 300_000);
const COUNT = /^(?:#|ℹ) (pass|fail|skipped|cancelled|todo) (\d+)\s*$/;

function run(shard, live) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${shard.concurrency}`, `--test-timeout=${TIMEOUT_MS}`, ...shard.files],
      { stdio: ['ignore', 'pipe', 'pipe'], env: shard.env },
    );
    let out = '';
    const take = (stream, to) =>
      stream.on('data', (chunk) => {
        out += chunk;
        if (live) to.write(chunk);
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const shards = shardsFor(files);
// The first shard prints as it goes; the others print when they end.
const results = await Promise.all(
  shards.map((shard, i) =>
    run(shard, i === 0).then((r) => {
      if (i > 0) process.stdout.write(r.out);
      return r;
    }),
  ),
);
for (const c of cleanups) c();

const totals = { pass: 0, fail: 0, skipped: 0, cancelled: 0, todo: 0 };
for (const r of results) {
  for (const line of r.out.split('\n')) {
    const m = COUNT.exec(line);
    if (m) totals[m[1]] += Number(m[2]);
  }
}
const failed = totals.fail + totals.cancelled;
console.log(`\n${totals.pass} passed, ${failed} failed, ${totals.skipped} skipped`);
process.exit(results.some((r) => r.code !== 0) || failed > 0 ? 1 : 0);
