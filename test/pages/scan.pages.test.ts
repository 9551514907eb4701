/** GET /scan: who may open it, what the skeleton carries for the client, and CSP-clean markup. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { buildClient } from '../../scripts/build-client.js';

// The client bundle is built before the app, as it always was (Node 20 starts top-level `before` hooks together).
await buildClient({ quiet: true });
const t = useTestApp({ perFile: true });

const attr = (body: string, name: string) => /<section class="station"[^>]*>/.exec(body)?.[0].match(new RegExp(`${name}="([^"]*)"`))?.[1];
const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

test('anonymous visitors are sent to log in and come back to the station', async () => {
  const res = await new Client(t.app).get('/scan');
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/login?next=%2Fscan');
});

test('a dispatcher gets the station for their own area, with no area picker', async () => {
  const c = await loginAs(t.app, 'dispatcher', { areaId: 'hisar' });
  const res = await c.get('/scan');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<script src="\/assets\/build\/scan\.js" defer><\/script>/);
  assert.match(res.body, /<a href="\/scan" aria-current="page">Scan<\/a>/);
  assert.doesNotMatch(res.body, /id="st-area"/);
  assert.equal(attr(res.body, 'data-role'), 'dispatcher');
  assert.equal(attr(res.body, 'data-area'), 'hisar');
  assert.equal(attr(res.body, 'data-user-id'), c.user!.id);
  const kinds = JSON.parse(unescapeHtml(attr(res.body, 'data-kinds') ?? '[]')) as Array<{ id: string; pattern: string; capacity: number }>;
  assert.deepEqual(
    kinds.map((k) => [k.id, k.pattern, k.capacity]),
    [
      ['SB', '^SB\\d{5}$', 30],
      ['M444', '^M444-\\d{5}$', 15],
    ],
  );
});

test('billers and admins pick the area of new parents', async () => {
  for (const role of ['biller', 'admin'] as const) {
    const res = await (await loginAs(t.app, role)).get('/scan');
    assert.equal(res.statusCode, 200);
    const options = /<select id="st-area">([\s\S]*?)<\/select>/.exec(res.body)?.[1] ?? '';
    assert.equal([...options.matchAll(/<option value="/g)].length, 10, `${role} sees the ten default areas`);
    assert.match(options, /^<option value="lucknow">Lucknow<\/option>/);
  }
});

test('the station markup obeys the CSP (no inline script or style) and its bundle is served small', async () => {
  const c = await loginAs(t.app, 'biller');
  const res = await c.get('/scan');
  assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  assert.doesNotMatch(res.body, /<script(?![^>]*\ssrc=)[^>]*>/);
  assert.doesNotMatch(res.body, /\sstyle=/);
  assert.doesNotMatch(res.body, /\son[a-z]+=/i, 'no inline event handlers');
  const js = await c.get('/assets/build/scan.js');
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers['content-type']), /javascript/);
  assert.ok(js.body.length < 50 * 1024, `bundle is ${js.body.length} bytes`);
});
