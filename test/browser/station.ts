/**
 * The scan-station steps the SPEC §9 browser suites share: open the station, fill a parent by
 * wedge scans, and read back what the database holds (children, history).
 */
import { sql } from 'kysely';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { loginAs, scan, see, until, type Harness, type Session } from './helpers.js';

/** Waits until the station's service worker controls the page; resolves to its scope's path. */
export function workerInControl(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    return new URL(reg.scope).pathname;
  });
}

/** Waits until the service worker's cache holds every one of these paths. */
export function untilCached(page: Page, urls: readonly string[]): Promise<void> {
  return until(
    page,
    `the worker's cache holds ${urls.join(', ')}`,
    async (paths) => {
      const cache = await caches.open('tt-station-shell-v1');
      const hits = await Promise.all(paths.map((u) => cache.match(u)));
      return hits.every(Boolean);
    },
    urls,
  );
}

/** The /scan station, ready; `browser` adds options to the context (see loginAs). */
export async function openStation(
  h: Harness,
  role: 'admin' | 'biller' | 'dispatcher' = 'dispatcher',
  browser: BrowserContextOptions = {},
): Promise<Session> {
  const s = await loginAs(h, role, '/scan', {}, browser);
  await s.page.waitForSelector('#station[data-ready="true"]');
  return s;
}

export async function childrenOf(h: Harness, parentCode: string): Promise<string[]> {
  const r = await sql<{
    code: string;
  }>`select c.code from bags c join bags p on p.id = c.parent_id where p.code = ${parentCode} order by c.code`.execute(h.app.database.db);
  return r.rows.map((row) => row.code);
}

/** History rows of scans of this code: action and outcome, oldest first. */
export async function historyOf(h: Harness, code: string): Promise<string[]> {
  const r = await sql<{
    action: string;
    outcome: string;
    related: string | null;
  }>`select action, outcome, related from events where subject = ${code} order by id`.execute(h.app.database.db);
  return r.rows.map((e) => `${e.action} ${e.outcome}${e.related ? ` ${e.related}` : ''}`);
}

export const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

/** Scans the parent, then each child; waits until the station shows the count. */
export async function fill(page: Page, parent: string, children: string[]): Promise<void> {
  await scan(page, parent);
  await see(page, '#st-parent', parent);
  for (const c of children) await scan(page, c);
  if (children.length < 30) await see(page, '#st-n', String(children.length));
}

/** Waits until no scan on the station is still waiting for its answer. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('#st-recent li[data-state="pending"]'));
}

/** Holds child scans on their way to the server; the function returned lets them go. */
export async function holdChildScans(page: Page): Promise<() => Promise<void>> {
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  const sent: Array<Promise<void>> = [];
  await page.route('**/api/scans/child', (route) => {
    const send = held.then(() => route.continue());
    sent.push(send);
    return send;
  });
  return async () => {
    release();
    await Promise.all(sent);
    await page.unroute('**/api/scans/child');
  };
}
