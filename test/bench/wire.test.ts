/**
 * The load generator's bare-socket client (bench/load/wire.ts) against a node:http server: it
 * must read every reply whole, however the bytes arrive, keep the connection, follow a close,
 * and refuse a reply it cannot delimit — a wrong count here would make the ceiling's figures lie.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, test } from 'node:test';
import { Wire } from '../../bench/load/wire.js';

let server: http.Server;
let port: number;
const sockets = new Set<net.Socket>();
let connections = 0;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/slow-bytes') {
        // the reply in three writes, the head split mid-line
        const text = JSON.stringify({ ok: 'é'.repeat(3000) });
        const raw = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-le`;
        const rest = `ngth: ${Buffer.byteLength(text)}\r\n\r\n`;
        const sock = res.socket!;
        sock.write(raw);
        setTimeout(() => sock.write(rest), 5);
        setTimeout(() => sock.write(text), 10);
        return;
      }
      if (req.url === '/cookie') {
        res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
        res.setHeader('content-type', 'text/plain');
        return res.end('hi');
      }
      if (req.url === '/close') {
        res.setHeader('connection', 'close');
        return res.end('bye');
      }
      if (req.url === '/empty') {
        res.statusCode = 204;
        return res.end();
      }
      if (req.url === '/chunked') {
        res.write('no');
        return res.end(' length');
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(
        JSON.stringify({ method: req.method, url: req.url, cookie: req.headers.cookie ?? null, body: body ? JSON.parse(body) : null }),
      );
    });
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

test('requests go one after another on one kept connection, bodies and headers as sent', async () => {
  const wire = new Wire('127.0.0.1', port);
  const before = connections;
  const payload = JSON.stringify({ code: 'CHILD-ü', n: 1 });
  const a = await wire.request('POST', '/scan', { cookie: 'sid=x' }, payload);
  assert.equal(a.status, 200);
  assert.deepEqual(a.body, { method: 'POST', url: '/scan', cookie: 'sid=x', body: { code: 'CHILD-ü', n: 1 } });
  const b = await wire.request('GET', '/again', {});
  assert.deepEqual(b.body, { method: 'GET', url: '/again', cookie: null, body: null });
  assert.equal(connections - before, 1);
  wire.destroy();
});

test('a reply that arrives in pieces is read whole; set-cookie values are handed back', async () => {
  const raw = new Wire('127.0.0.1', port);
  const slow = await raw.request('GET', '/slow-bytes', {});
  assert.equal(slow.body.ok, 'é'.repeat(3000));
  raw.destroy(); // node:http holds that connection: its response never ended
  const wire = new Wire('127.0.0.1', port);
  const c = await wire.request('GET', '/cookie', {});
  assert.equal(c.body, 'hi');
  assert.deepEqual(c.setCookies, ['a=1; Path=/', 'b=2; HttpOnly']);
  wire.destroy();
});

test('after the server closes the connection, the next request opens a new one; a 204 has no body', async () => {
  const wire = new Wire('127.0.0.1', port);
  const before = connections;
  assert.equal((await wire.request('GET', '/close', {})).body, 'bye');
  assert.equal((await wire.request('GET', '/next', {})).body.url, '/next');
  assert.equal(connections - before, 2);
  const empty = await wire.request('DELETE', '/empty', {});
  assert.deepEqual([empty.status, empty.body], [204, '']);
  assert.equal((await wire.request('GET', '/after-empty', {})).body.url, '/after-empty');
  wire.destroy();
});

test('a reply without content-length is refused, and a second request at once too', async () => {
  const wire = new Wire('127.0.0.1', port);
  await assert.rejects(wire.request('GET', '/chunked', {}), /without content-length/);
  const first = wire.request('GET', '/one', {});
  await assert.rejects(wire.request('GET', '/two', {}), /one request at a time/);
  assert.equal((await first).body.url, '/one');
  wire.destroy();
});
