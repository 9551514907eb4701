#!/usr/bin/env node
// Runs the node:test suites (Node 20's --test takes no globs, so we list the files).
//   node scripts/run-tests.mjs            unit + API suites (embedded PGlite unless TEST_DATABASE_URL is set)
//   node scripts/run-tests.mjs --browser  browser suites (needs /usr/bin/chromium)
//   node scripts/run-tests.mjs --chaos    fault-injection suites (PostgreSQL server binaries needed)
//   node scripts/run-tests.mjs test/api/users.test.ts   just those files
//   TEST_TIMEOUT_MS=600000 node scripts/run-tests.mjs …   another limit per test (default 300 s)
//   TEST_DIST=1 node scripts/run-tests.mjs …   test the compiled dist/ of `npm run build` (test/helpers/under-test.ts)
//   node scripts/run-tests.mjs --isolate …   embedded runs too give every file a process of its own
// Ends with one line "N passed, N failed, N skipped" over every file.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const browser = args.includes('--browser');
const chaos = args.includes('--chaos');
const isolate = args.includes('--isolate');
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
 * Shards that run at once. On PostgreSQL each file has its own database, but files flush their
 * Redis database, so files run one at a time per shard and each shard gets a Redis database of
 * its own. Browser and chaos suites drive whole servers: one file at a time.
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
      // A lane's tests get the limit from the lane (TT_LANE_TIMEOUT_MS): node --test would apply it to the lane as a whole.
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${shard.concurrency}`,
        ...(shard.lane ? [] : [`--test-timeout=${TIMEOUT_MS}`]),
        ...shard.files,
      ],
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

/**
 * Embedded runs: PGlite files share nothing, so two lanes (one a core) run them. A lane is one
 * process that runs file after file, each in a suite of its own (scripts/test-lane/lane.ts):
 * starting a process per file (tsx, the app's modules, PGlite's WASM) cost more than most files'
 * tests. Both lanes take the next file from one list, longest first, so they end together.
 * Files in ALONE still get a process of their own, before the lanes start on the rest.
 */
const ALONE = [
  // start server and CLI processes and install process handlers
  /^test\/server\//,
  // reads which modules this process loaded
  /build-under-test\.test\.ts$/,
  // helpers/backup.ts and helpers/round-trip.ts keep a temporary directory and open databases per
  // process, closed by an `after` hook of their own: the first file's end would take them from the next
  /^test\/commands\/(backup|import-legacy)/,
];
/** Wall seconds per file in the last embedded run, to start the longest first (a guess without one). */
const TIMES = path.join('node_modules', '.cache', 'tracetrack', 'test-seconds.json');

function readTimes() {
  try {
    return JSON.parse(fs.readFileSync(TIMES, 'utf8'));
  } catch {
    return {};
  }
}

async function runLanes(list) {
  const times = readTimes();
  const guess = (f) => times[f] ?? fs.statSync(f).size / 1000; // ~1 s a KB, only until a run has been timed
  const ordered = [...list].sort((a, b) => guess(b) - guess(a));
  const alone = ordered.filter((f) => ALONE.some((re) => re.test(f.split(path.sep).join('/'))));
  const shared = ordered.filter((f) => !alone.includes(f));
  const claims = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-lanes-'));
  cleanups.push(() => fs.rmSync(claims, { recursive: true, force: true }));
  const laneEnv = { ...env, TT_LANE_FILES: JSON.stringify(shared), TT_LANE_CLAIMS: claims, TT_LANE_TIMEOUT_MS: String(TIMEOUT_MS) };
  const lane = async (live) => {
    const done = [];
    for (let f = alone.shift(); f !== undefined; f = alone.shift()) {
      const started = Date.now();
      done.push({ ...(await run({ files: [f], env, concurrency: 1 }, live)), seconds: { [f]: (Date.now() - started) / 1000 } });
    }
    if (shared.length) done.push(await run({ files: ['scripts/test-lane/lane.ts'], env: laneEnv, concurrency: 1, lane: true }, live));
    return done;
  };
  // The first lane prints as it goes; the other prints when it ends.
  const lanes = await Promise.all([
    lane(true),
    lane(false).then((done) => {
      for (const r of done) process.stdout.write(r.out);
      return done;
    }),
  ]);
  const results = lanes.flat();
  // Each file's suite reports its duration; files run alone are timed here.
  const seconds = Object.assign({}, ...results.map((r) => r.seconds ?? {}));
  const SUITE = /^ *(?:not )?ok \d+ - (test\/\S+\.test\.ts)\n *---\n *duration_ms: ([\d.]+)/gm;
  for (const r of results) for (const m of r.out.matchAll(SUITE)) seconds[m[1]] = Number(m[2]) / 1000;
  if (!explicit.length) {
    fs.mkdirSync(path.dirname(TIMES), { recursive: true });
    fs.writeFileSync(TIMES, `${JSON.stringify(seconds, null, 1)}\n`);
  }
  const slowest = Object.entries(seconds)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([f, s]) => `${f} ${s.toFixed(1)} s`);
  console.log(`\nslowest files: ${slowest.join(', ')}`);
  return results;
}

async function runShards(list) {
  const shards = shardsFor(list);
  // The first shard prints as it goes; the others print when they end.
  return Promise.all(
    shards.map((shard, i) =>
      run(shard, i === 0).then((r) => {
        if (i > 0) process.stdout.write(r.out);
        return r;
      }),
    ),
  );
}

const results = onPostgres || browser || chaos || isolate ? await runShards(files) : await runLanes(files);
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
