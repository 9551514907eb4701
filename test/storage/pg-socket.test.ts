/** The PostgreSQL socket sends the writes of one tick in one writev (storage/pg-socket.ts). */
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import pg from 'pg';
import { CoalescingSocket, coalescingStream } from '../../src/storage/pg-socket.js';
import { waitFor } from '../helpers/wait.js';

async function connected<T extends net.Socket>(socket: T): Promise<{ socket: T; received: () => Buffer; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const server = net.createServer((peer) => peer.on('data', (c: Buffer) => chunks.push(c)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  socket.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  return {
    socket,
    received: () => Buffer.concat(chunks),
    close: async () => {
      socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const url = process.env.TEST_DATABASE_URL;

/** Counts the system-call-level writes a socket makes: one per _write, one per _writev batch. */
function countWrites(socket: net.Socket): { single: number; batched: number[] } {
  const seen = { single: 0, batched: [] as number[] };
  const s = socket as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write.bind(socket);
  const writev = s._writev.bind(socket);
  s._write = (...a) => {
    seen.single++;
    write(...a);
  };
  s._writev = (chunks, cb) => {
    seen.batched.push(chunks.length);
    writev(chunks, cb);
  };
  return seen;
}

test('five writes in one tick leave as one writev, in order', async () => {
  const c = await connected(new CoalescingSocket());
  try {
    const seen = countWrites(c.socket);
    for (const part of ['parse;', 'bind;', 'describe;', 'execute;', 'sync;']) c.socket.write(part);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, { single: 0, batched: [5] });
    await waitFor(() => c.received().length >= 'parse;bind;describe;execute;sync;'.length, 'the peer to receive the writes');
    assert.equal(c.received().toString(), 'parse;bind;describe;execute;sync;');
  } finally {
    await c.close();
  }
});

test('writes in separate ticks are not held back', async () => {
  const c = await connected(new CoalescingSocket());
  try {
    c.socket.write('one;');
    await new Promise((r) => setImmediate(r));
    c.socket.write('two;', () => {});
    await waitFor(() => c.received().length >= 'one;two;'.length, 'the peer to receive both writes');
    assert.equal(c.received().toString(), 'one;two;');
  } finally {
    await c.close();
  }
});

test('a plain socket makes one write per call (what the coalescing socket saves)', async () => {
  const c = await connected(new net.Socket());
  try {
    const seen = countWrites(c.socket);
    for (const part of ['a', 'b', 'c']) c.socket.write(part);
    await new Promise((r) => setImmediate(r));
    assert.ok(seen.single + seen.batched.length > 1, `expected several writes, saw ${JSON.stringify(seen)}`);
  } finally {
    await c.close();
  }
});

test('a node-postgres prepared query leaves as one writev inside query(): pg corks it, so the hold does not start', {
  skip: !url && 'PostgreSQL only',
}, async () => {
  const client = new pg.Client({ connectionString: url, stream: coalescingStream });
  await client.connect();
  try {
    const seen = countWrites((client as unknown as { connection: { stream: net.Socket } }).connection.stream);
    const answer = client.query<{ n: number }>({ name: 'pg_socket_test', text: 'select $1::int + 1 as n', values: [41] });
    assert.deepEqual(seen, { single: 0, batched: [5] }, 'parse, bind, describe, execute and sync, sent before query() returned');
    assert.equal((await answer).rows[0]!.n, 42);
    assert.deepEqual(seen, { single: 0, batched: [5] });
  } finally {
    await client.end();
  }
});
