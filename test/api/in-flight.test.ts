/**
 * The requests a process is serving (http/plugins/in-flight.ts), over real HTTP: counted while
 * the handler works, not after the answer, not after a client that gave up, and never for a route
 * that streams (config.stream). The statement hold reads this count (docs/decisions/0042).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import inFlight from '../../src/http/plugins/in-flight.js';

async function serve() {
  const app = Fastify();
  await app.register(inFlight);
  let release = () => {};
  const entered: Array<() => void> = [];
  const arrived = () => new Promise<void>((resolve) => entered.push(resolve));
  const handler = async () => {
    entered.shift()?.();
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return { ok: true };
  };
  app.get('/slow', handler);
  app.get('/stream', { config: { stream: true } }, handler);
  app.get('/quick', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base, arrived, release: () => release() };
}

/** Waits until the count is n (a closed response is counted out on the socket's close event). */
async function countIs(app: { requestsInFlight(): number }, n: number) {
  for (let i = 0; i < 200 && app.requestsInFlight() !== n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(app.requestsInFlight(), n);
}

test('a request is counted while it is served and not after its answer', async () => {
  const s = await serve();
  try {
    assert.equal(s.app.requestsInFlight(), 0);
    const arrived = s.arrived();
    const answer = fetch(`${s.base}/slow`);
    await arrived;
    assert.equal(s.app.requestsInFlight(), 1);
    assert.equal((await fetch(`${s.base}/quick`)).status, 200); // served beside it
    await countIs(s.app, 1);
    s.release();
    assert.equal((await answer).status, 200);
    await countIs(s.app, 0);
  } finally {
    await s.app.close();
  }
});

test('a client that gives up before the answer is counted out', async () => {
  const s = await serve();
  try {
    const arrived = s.arrived();
    const req = http.get(`${s.base}/slow`);
    req.on('error', () => {}); // the abort below
    await arrived;
    assert.equal(s.app.requestsInFlight(), 1);
    req.destroy();
    await countIs(s.app, 0);
    s.release(); // the handler still finishes; nothing is counted twice
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(s.app.requestsInFlight(), 0);
  } finally {
    await s.app.close();
  }
});

test('a streaming route is never counted', async () => {
  const s = await serve();
  try {
    const arrived = s.arrived();
    const answer = fetch(`${s.base}/stream`);
    await arrived;
    assert.equal(s.app.requestsInFlight(), 0);
    s.release();
    assert.equal((await answer).status, 200);
    assert.equal(s.app.requestsInFlight(), 0);
  } finally {
    await s.app.close();
  }
});
