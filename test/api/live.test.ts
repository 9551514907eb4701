/**
 * GET /api/live over real HTTP, in one process: the transport is in-memory on PGlite,
 * LISTEN/NOTIFY on PostgreSQL, Redis pub/sub with TEST_REDIS_URL. Dispatchers receive only their
 * area's events; app.close() ends the streams.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { type Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { scanChild, scanParent } from '../helpers/scans.js';
import { liveAbout, openSse, type SseStream } from '../helpers/sse.js';

let base: string;
const streams: SseStream[] = [];
// Registered before useTestApp, so the streams are closed before the app is, as they always were.
after(() => {
  for (const s of streams) s.close();
});
const t = useTestApp({ perFile: true, setup });

const cookieOf = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
async function stream(c: Client): Promise<SseStream> {
  const s = await openSse(`${base}/api/live`, cookieOf(c));
  streams.push(s);
  assert.equal(s.status, 200);
  await s.next((m) => m.event === 'ready');
  return s;
}

/** Listens on a free port once the app is built. */
async function setup() {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** fetch's json() is untyped without the DOM lib. */
type ApiError = { error: { code: string } };

test('a scan reaches an open stream, with who, what, where and the outcome', async () => {
  const admin = await loginAs(t.app, 'admin');
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  const live = await stream(admin);
  assert.equal((await scanParent(d, 'SB00001')).statusCode, 200);
  const msg = await live.next(liveAbout('SB00001'));
  const [event] = JSON.parse(msg.data);
  assert.deepEqual(
    { ...event, at: typeof event.at },
    {
      at: 'string',
      action: 'scan.parent',
      outcome: 'created',
      ok: true,
      subject: 'SB00001',
      related: null,
      area: 'lucknow',
      actor: d.user!.username,
      station: null,
    },
  );
  await scanChild(d, 'SB00001', 'SB00001'); // refused: wrong_bag_type
  const refused = await live.next(
    (m) => m.event === 'message' && JSON.parse(m.data).some((e: { outcome: string }) => e.outcome === 'wrong_bag_type'),
  );
  assert.equal(JSON.parse(refused.data).find((e: { outcome: string }) => e.outcome === 'wrong_bag_type').ok, false);
});

test('dispatchers receive their own area’s events only; billers see bill events', async () => {
  const lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  const indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  const biller = await loginAs(t.app, 'biller');
  const indoreLive = await stream(indore);
  const billerLive = await stream(biller);
  await scanParent(lucknow, 'SB00010');
  await scanParent(indore, 'SB00020');
  await indoreLive.next(liveAbout('SB00020'));
  await billerLive.next(liveAbout('SB00010'));
  await billerLive.next(liveAbout('SB00020'));
  await biller.post('/api/bills', { billId: 'BILL-LIVE-1', capacity: 1 });
  await billerLive.next(liveAbout('BILL-LIVE-1'));
  await scanParent(indore, 'SB00021');
  await indoreLive.next(liveAbout('SB00021'));
  const seen = indoreLive.messages.flatMap((m) => (m.event === 'message' ? JSON.parse(m.data) : []));
  assert.ok(seen.length >= 2);
  assert.ok(
    seen.every((e: { area: string; action: string }) => e.area === 'indore' && e.action.startsWith('scan.')),
    JSON.stringify(seen),
  );
});

test('no stream without a session; the stream says it is an event stream and not cacheable', async () => {
  const anon = await fetch(`${base}/api/live`);
  assert.equal(anon.status, 401);
  assert.equal(((await anon.json()) as ApiError).error.code, 'not_authenticated');
  const admin = await loginAs(t.app, 'admin');
  const plain = await fetch(`${base}/api/live`, { headers: { cookie: cookieOf(admin) } });
  assert.equal(plain.status, 400, 'a client that does not ask for a stream gets none');
  assert.equal(((await plain.json()) as ApiError).error.code, 'validation_failed');
  const res = await fetch(`${base}/api/live`, { headers: { cookie: cookieOf(admin), accept: 'text/event-stream' } });
  assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.ok(res.headers.get('content-security-policy'), 'security headers kept');
  // An open stream waits, it does not work: not a request in flight (the statement hold reads it).
  assert.equal(t.app.requestsInFlight(), 0);
  await res.body?.cancel();
});

test('app.close() ends open streams instead of waiting for them', async () => {
  const admin = await loginAs(t.app, 'admin');
  const live = await stream(admin);
  const started = Date.now();
  await t.app.close();
  await live.ended;
  assert.ok(Date.now() - started < 5000);
});
