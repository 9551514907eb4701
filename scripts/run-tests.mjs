#!/usr/bin/env node
// Runs the node:test suites (Node 20's --test takes no globs, so we list the files).
//   node scripts/run-tests.mjs            unit + API suites (embedded PGlite unless TEST_DATABASE_URL is set)
//   node scripts/run-tests.mjs --browser  browser suites (needs /usr/bin/chromium)
//   node scripts/run-tests.mjs test/api/users.test.ts   just those files
//   TEST_TIMEOUT_MS=300000 node scripts/run-tests.mjs --browser test/browser/scan-thousand.test.ts   a longer limit per file
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const browser = args.includes('--browser');
const explicit = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = explicit.length
  ? explicit
  : walk('test')
      .filter((f) => (browser ? f.startsWith(path.join('test', 'browser')) : !f.startsWith(path.join('test', 'browser'))))
      .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// A shared PostgreSQL/Redis run goes one file at a time: files share the Redis rate-limit keys.
const shared = Boolean(process.env.TEST_DATABASE_URL || process.env.TEST_REDIS_URL) || browser;
const concurrency = shared ? 1 : 2;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${Number(process.env.TEST_TIMEOUT_MS) || 120000}`, ...files],
  { stdio: 'inherit', env: { ...process.env, TT_TEST: '1' } },
);
process.exit(result.status ?? 1);
