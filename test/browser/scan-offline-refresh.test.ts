/**
 * The station's service worker refreshes its cached copies network-first (sw.ts). A refresh whose
 * answer breaks off mid-body — a handheld losing Wi-Fi while a bundle downloads — must leave the
 * copy kept before, or the station no longer opens offline. The browser reaches the app through a
 * small proxy here that can cut one path's answer after half its body.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { skipReason, useHarness } from './helpers.js';
import { openStation, untilCached, workerInControl } from './station.js';

const h = useHarness();

/** Forwards to the app; an answer for `cut` gets its headers and half its body, then the connection drops. */
function proxy(target: () => string) {
  const state = { cut: '' };
  const server = http.createServer((req, res) => {
    const up = new URL(target());
    const fwd = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      if (req.url !== state.cut) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(body.length) });
        res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 50));
      });
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  return { server, state };
}

test('a refresh of a cached station bundle that breaks off mid-body keeps the copy kept before', { skip: skipReason }, async () => {
  const p = proxy(() => h.baseUrl);
  await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r));
  after(() => p.server.close());
  const base = `http://127.0.0.1:${(p.server.address() as AddressInfo).port}`;
  const { page } = await openStation(h, 'dispatcher', { baseURL: base });
  await workerInControl(page);
  const url = '/assets/build/scan.js';
  const cachedLength = (u: string) =>
    page.evaluate(async (v) => (await (await caches.open('tt-station-shell-v1')).match(v))?.text().then((t) => t.length) ?? -1, u);
  await untilCached(page, [url]);
  const before = await cachedLength(url);
  assert.ok(before > 1000, `the bundle is cached whole first (${before} characters)`);

  p.state.cut = url;
  const refresh = await page.evaluate(async (u) => {
    try {
      return `read ${(await (await fetch(u, { cache: 'no-store' })).text()).length}`;
    } catch (err) {
      return `failed: ${(err as Error).message}`;
    }
  }, url);
  assert.match(refresh, /^failed/, 'the page saw the answer break off');
  await new Promise((r) => setTimeout(r, 500)); // the worker's cache write, if any, has ended
  assert.equal(await cachedLength(url), before, 'the copy kept before is still whole');
});
