/**
 * The database or Redis away (issue 12): driver errors are classified in storage, the API
 * answers 503 with Retry-After (never 500), /health?check_db=true names what is down, and a
 * connection PostgreSQL terminates inside a transaction does not end the process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { useTestApp } from '../helpers/setup.js';
import { Client } from '../helpers/http.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { classifyStorageError, RedisUnavailableError } from '../../src/storage/errors.js';
import { usingPostgres } from '../helpers/database.js';
import { loadUnderTest } from '../helpers/under-test.js';

// The build under test (src/, or dist/ with TEST_DIST=1), as the helpers build it.
const { openDatabase } = await loadUnderTest<typeof import('../../src/storage/database.js')>('storage/database.js');
const { buildApp } = await loadUnderTest<typeof import('../../src/app.js')>('app.js');
const { testConfig } = await loadUnderTest<typeof import('../../src/config.js')>('config.js');

const t = useTestApp({ perFile: true });
const pgErr = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('storage classifies driver errors: unavailable, bad input, or a bug', () => {
  for (const err of [
    pgErr('57P01', 'terminating connection due to administrator command'),
    pgErr('57P03', 'the database system is starting up'),
    pgErr('08006'),
    pgErr('53300'),
    pgErr('ECONNREFUSED'),
    pgErr('ECONNRESET'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([pgErr('ECONNREFUSED'), pgErr('ECONNREFUSED')]),
  ]) {
    assert.deepEqual(classifyStorageError(err), { kind: 'unavailable', service: 'database' }, String(err));
  }
  assert.deepEqual(classifyStorageError(new RedisUnavailableError(new Error('Connection is closed.'))), {
    kind: 'unavailable',
    service: 'redis',
  });
  assert.deepEqual(classifyStorageError(pgErr('22P05')), { kind: 'bad_input' });
  for (const err of [pgErr('23505'), pgErr('42P01'), new TypeError('x is undefined'), null, 'text', new AggregateError([])]) {
    assert.equal(classifyStorageError(err), undefined, String(err));
  }
});

test('with the database away the API answers 503 database_unavailable with Retry-After, pages too', {
  skip: !usingPostgres && 'PostgreSQL only (PGlite is in-process)',
}, async () => {
  const gone = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:9/gone', poolSize: 1 });
  const app = await buildApp({
    config: testConfig({ databaseUrl: 'postgres://postgres@127.0.0.1:9/gone' }),
    database: gone,
    logger: false,
  });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'someone', password: PASSWORD } });
    assert.equal(login.statusCode, 503, login.body);
    assert.equal(login.json().error.code, 'database_unavailable');
    assert.equal(login.headers['retry-after'], '2');
    const page = await app.inject({ method: 'GET', url: '/login', headers: { accept: 'text/html', cookie: 'tt_session=abc' } });
    assert.ok(page.statusCode < 500 || page.statusCode === 503, `page → ${page.statusCode}`);
    const health = await app.inject({ method: 'GET', url: '/health?check_db=true' });
    assert.equal(health.statusCode, 503);
    assert.deepEqual(health.json().down, ['database']);
  } finally {
    await app.close();
    await gone.close();
  }
});

test('with Redis away, sessions fail clearly: 503 session_store_unavailable, and health names redis', async () => {
  const user = await makeUser(t.app, { role: 'dispatcher' });
  const dead = new Redis('redis://127.0.0.1:9', {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    retryStrategy: () => 200,
  });
  dead.on('error', () => {});
  const app = await buildApp({ config: testConfig({ databaseUrl: t.database.url }), database: t.database, redis: dead, logger: false });
  try {
    const c = new Client(app);
    const res = await c.login(user.username, PASSWORD);
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, 'session_store_unavailable');
    assert.equal(res.headers['retry-after'], '2');
    const health = await app.inject({ method: 'GET', url: '/health?check_db=true' });
    assert.equal(health.statusCode, 503);
    assert.equal(health.json().database.ok, true);
    assert.equal(health.json().redis.ok, false);
    assert.deepEqual(health.json().down, ['redis']);
  } finally {
    await app.close();
    dead.disconnect();
  }
});

test('a connection terminated inside a transaction fails that transaction, not the process', {
  skip: !usingPostgres && 'PostgreSQL only',
}, async () => {
  const db = await openDatabase({ databaseUrl: t.database.url!, poolSize: 2 });
  try {
    const attempt = db.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(t.database.db);
      // The client sits checked out with no query running when its connection ends: the case
      // that raised an unhandled 'error' event and ended the worker.
      await new Promise((r) => setTimeout(r, 300));
      await sql`select 1`.execute(tx);
    });
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, 'the transaction fails');
    assert.equal(classifyStorageError(err)?.kind, 'unavailable', String(err));
    // The pool replaced the broken client.
    assert.equal((await sql<{ one: number }>`select 1 as one`.execute(db.db)).rows[0]!.one, 1);
  } finally {
    await db.close();
  }
});
