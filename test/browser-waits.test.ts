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

const ASYNC_WAIT = /waitForFunction\(\s*async\b/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|mjs)$/.test(e.name) ? [p] : [];
  });
}

test('no test waits on an async function with waitForFunction', () => {
  const self = path.join('test', 'browser-waits.test.ts');
  const offenders = sources('test').filter((f) => f !== self && ASYNC_WAIT.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the check sees the pattern however the call is laid out', () => {
  assert.ok(ASYNC_WAIT.test('await page.waitForFunction(async (paths) => {'));
  assert.ok(ASYNC_WAIT.test('page.waitForFunction(\n    async () =>'));
  assert.ok(!ASYNC_WAIT.test('page.waitForFunction(() => document.body !== null)'));
});
