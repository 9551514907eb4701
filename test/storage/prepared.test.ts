/**
 * Named statements (storage/prepared.ts) run the same SQL text under their name whichever way
 * they go: straight to the pool (a registered database outside a transaction) or through Kysely
 * (a transaction, or another Kysely instance over the same pool, as a test importing a second
 * copy of the module has). pg refuses one name with two texts on one connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/storage/database.js';
import type net from 'node:net';
import pg from 'pg';
import { holdStatementsWhen, PreparingClient, statement } from '../../src/storage/prepared.js';

const url = process.env.TEST_DATABASE_URL;

test('a statement run straight on the pool, then through Kysely on the same connection', { skip: !url && 'PostgreSQL only' }, async () => {
  const database = await openDatabase({ databaseUrl: url!, poolSize: 1 }); // one connection: both runs share it
  try {
    const twice = statement<{ n: number }>('prepared_test_twice', 'select $1::int * 2 as n');
    assert.deepEqual(await twice(database.db, [2]), [{ n: 4 }]); // straight on the pool
    assert.deepEqual(await twice(database.db.withoutPlugins(), [3]), [{ n: 6 }]); // Kysely, not registered
    assert.deepEqual(await database.db.transaction().execute((tx) => twice(tx, [4])), [{ n: 8 }]); // Kysely, in a transaction
    assert.deepEqual(await twice(database.db, [5]), [{ n: 10 }]);
  } finally {
    await database.close();
  }
});

test('while the server holds statements, one leaves at the end of the loop turn, not inside query()', {
  skip: !url && 'PostgreSQL only',
}, async () => {
  const pool = new pg.Pool({ connectionString: url!, max: 1, Client: PreparingClient });
  const client = await pool.connect();
  const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
  try {
    holdStatementsWhen(() => true);
    const held = client.query('select 1 as n');
    assert.ok(socket.writableCorked > 0, 'still corked after query(): held to the turn end');
    await new Promise((r) => setImmediate(r));
    assert.equal(socket.writableCorked, 0, 'sent once the turn ended');
    assert.deepEqual((await held).rows, [{ n: 1 }]);

    holdStatementsWhen(() => false);
    const sent = client.query('select 2 as n');
    assert.equal(socket.writableCorked, 0, 'not held: sent inside query()');
    assert.deepEqual((await sent).rows, [{ n: 2 }]);
  } finally {
    holdStatementsWhen(() => false);
    client.release();
    await pool.end();
  }
});
