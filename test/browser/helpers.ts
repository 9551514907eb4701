/**
 * Browser test harness: a real server (the test app over this file's database, listening on a
 * free loopback port), Debian's chromium driven by playwright-core, and a login through the
 * /login form as a person does. Without /usr/bin/chromium the suites skip with a clear reason
 * (CI installs it; `npm test` must pass without a browser).
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/domain/actor.js';
import type { User } from '../../src/domain/users/user.js';
import { buildClient } from '../../scripts/build-client.js';
import { buildTestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeUser, PASSWORD, type UserOverrides } from '../helpers/factories.js';
import { waitFor } from '../helpers/wait.js';
import { chromiumMissing, HANDHELD, launchChromium } from '../helpers/chromium.js';

/** A reason to skip (for node:test's `skip` option), or undefined when a browser is there. */
export const skipReason: string | undefined = chromiumMissing && `browser tests skipped: ${chromiumMissing}`;
if (skipReason) console.warn(`\n*** ${skipReason} ***\n`);

export interface Harness {
  database: TestDatabase;
  app: App;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  await buildClient({ quiet: true }); // never test a stale bundle
  const database = await openTestDatabase();
  const app = await buildTestApp(database);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const browser = await launchChromium();
  return {
    database,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

/**
 * One harness per test file: started before its tests (not at all without a browser), closed
 * after them. Closing the browser closes every context the tests opened, so tests need not keep
 * a list of their sessions. `setup` runs once the harness is up (shared data for the file).
 */
export function useHarness(setup?: (h: Harness) => Promise<void>): Harness {
  const h = {} as Harness;
  before(async () => {
    if (skipReason) return;
    Object.assign(h, await startHarness());
    await setup?.(h);
  });
  after(async () => h.close?.());
  return h;
}

export interface Session {
  user: User;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors (a CSP violation shows up here). */
  errors: string[];
}

/**
 * A fresh user of the role, logged in through the /login form, on the page `next`. `browser`
 * adds options to its context: `{ serviceWorkers: 'block' }` for a test that routes requests and
 * does not need the station's worker (Playwright's advice for request interception).
 */
export async function loginAs(
  h: Harness,
  role: Role,
  next = '/',
  o: UserOverrides = {},
  browser: BrowserContextOptions = {},
): Promise<Session> {
  const user = await makeUser(h.app, { ...o, role });
  const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: HANDHELD, hasTouch: true, ...browser });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // An API refusal (409, 400…) or an offline fetch is logged by Chrome as "Failed to load resource": expected here.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="username"]', user.username);
  await page.fill('input[name="password"]', o.password ?? PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === next), page.click('button.primary')]);
  return { user, context, page, errors };
}

/** What a wedge scanner does: type the code and press Enter, wherever the focus is. */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

/**
 * A scan at scanner speed whatever the load on the test machine: keydown events 2 ms apart,
 * dispatched in the page to the focused element. `scan` sends one DevTools round trip per key,
 * which can exceed the wedge's 30 ms on a busy machine; in a text field such a pause splits the
 * scan (the keys before it stay typing), so scans into a field go this way.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  // A string, not a function: the test runner's transform would wrap a function in a helper the page lacks.
  await page.evaluate(`(async () => {
    for (const k of [...${JSON.stringify(code)}, 'Enter']) {
      (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      await new Promise((r) => setTimeout(r, 2));
    }
  })()`);
}

/**
 * Starts keeping every text the element shows, in order (a MutationObserver on the page, so a
 * state shown for a moment between two polls is kept too). Read back with `sawText`.
 */
export async function recordTexts(page: Page, selector: string): Promise<void> {
  // No named functions inside: the test runner's transform would wrap them in a helper the page lacks.
  await page.evaluate((selector) => {
    const w = window as unknown as { __texts?: Record<string, string[]> };
    const texts: string[] = [(document.querySelector(selector)?.textContent ?? '').trim()];
    (w.__texts ??= {})[selector] = texts;
    new MutationObserver(() => {
      const text = (document.querySelector(selector)?.textContent ?? '').trim();
      if (texts[texts.length - 1] !== text) texts.push(text);
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  }, selector);
}

/**
 * Waits (../helpers/wait.ts) until `predicate`, run and awaited in the page, resolves to true.
 * For anything asynchronous in the page (the worker's cache, IndexedDB): Playwright's
 * waitForFunction does not await a promise its function returns, and a promise is truthy, so an
 * async predicate there passes at once (test/browser-waits.test.ts keeps it out of the suites).
 * The limit is Playwright's own default: a busy CI machine is slow to cache.
 */
export function until<A>(page: Page, what: string, predicate: (arg: A) => Promise<boolean>, arg: A, timeout = 30_000): Promise<void> {
  // `A` is plain data (what page.evaluate passes unchanged); its types cannot say so of a generic.
  const inPage = predicate as (arg: unknown) => Promise<boolean>;
  return waitFor(() => page.evaluate(inPage, arg), what, timeout);
}

/** Waits until the element has shown `expected` since `recordTexts`; fails with every text it showed. */
export async function sawText(page: Page, selector: string, expected: string, timeout = 8000): Promise<void> {
  try {
    await page.waitForFunction(
      ({ selector, expected }) =>
        ((window as unknown as { __texts?: Record<string, string[]> }).__texts?.[selector] ?? []).includes(expected),
      { selector, expected },
      { timeout },
    );
  } catch {
    const shown = await page.evaluate(
      (selector) => (window as unknown as { __texts?: Record<string, string[]> }).__texts?.[selector],
      selector,
    );
    assert.fail(`${selector}: expected to have shown ${JSON.stringify(expected)}; it showed ${JSON.stringify(shown)}`);
  }
}

/** Waits until the element's text is (or matches) the expected one; fails with what it saw. */
export async function see(page: Page, selector: string, expected: string | RegExp, timeout = 8000): Promise<void> {
  const want = typeof expected === 'string' ? { text: expected } : { source: expected.source, flags: expected.flags };
  try {
    await page.waitForFunction(
      ({ selector, want }) => {
        const text = (document.querySelector(selector)?.textContent ?? '').trim();
        return want.text !== undefined ? text === want.text : new RegExp(want.source!, want.flags).test(text);
      },
      { selector, want },
      { timeout },
    );
  } catch {
    const actual = await page
      .locator(selector)
      .textContent()
      .catch(() => null);
    assert.fail(`${selector}: expected ${String(expected)}, saw ${JSON.stringify(actual?.trim())}`);
  }
}
