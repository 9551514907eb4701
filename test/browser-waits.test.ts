/**
 * A trap of the browser suites: Playwright's waitForFunction does not await a promise its
 * function returns, and a promise is truthy, so `waitForFunction(async …)` passes at once and
 * the test goes on before the page is ready (the offline bill-station test went offline while
 * the worker was still caching its bundles, and failed now and then in CI). Waits on
 * anything asynchronous in the page go through `until` (test/browser/helpers.ts), which does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/under-test.js';

const ASYNC_WAIT = /waitForFunction\(\s*async\b/;
const TESTS = path.join(ROOT, 'test');

test('no test waits on an async function with waitForFunction', () => {
  const files = fs.readdirSync(TESTS, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|mjs)$/.test(f));
  const offenders = files.filter((f) => f !== 'browser-waits.test.ts' && ASYNC_WAIT.test(fs.readFileSync(path.join(TESTS, f), 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the check sees the pattern however the call is laid out', () => {
  assert.ok(ASYNC_WAIT.test('await page.waitForFunction(async (paths) => {'));
  assert.ok(ASYNC_WAIT.test('page.waitForFunction(\n    async () =>'));
  assert.ok(!ASYNC_WAIT.test('page.waitForFunction(() => document.body !== null)'));
});
