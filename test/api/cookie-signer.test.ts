/**
 * The signed-cookie signer that remembers what it verified (http/plugins/cookie-signer.ts):
 * it answers exactly as @fastify/cookie's own signer, never remembers an invalid value, and a
 * session cookie altered after a good one was seen is still refused by the app.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from '@fastify/cookie';
import { rememberingSigner } from '../../src/http/plugins/cookie-signer.js';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';

const SECRET = 'a-test-secret-that-is-long-enough-000';

test('verifies and refuses exactly as the plain signer, first time and remembered', () => {
  const plain = new Signer(SECRET, 'sha256');
  const remembering = rememberingSigner(SECRET);
  const good = plain.sign('session-id-1');
  assert.equal(remembering.sign('session-id-1'), good);
  const variants = [
    good,
    `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
    `x${good}`,
    'session-id-1',
    '',
    new Signer('another-secret-000000000000000000000').sign('session-id-1'),
  ];
  for (let round = 0; round < 3; round++) {
    for (const v of variants) assert.deepEqual({ ...remembering.unsign(v) }, { ...plain.unsign(v) }, `round ${round}: ${v}`);
  }
  assert.deepEqual({ ...remembering.unsign(good) }, { valid: true, renew: false, value: 'session-id-1' });
});

test('a remembered answer cannot be changed by its caller', () => {
  const remembering = rememberingSigner(SECRET);
  const good = remembering.sign('v');
  const first = remembering.unsign(good) as { value: string | null };
  assert.throws(() => {
    first.value = 'someone-else'; // modules are strict: writing a frozen object throws
  }, TypeError);
  assert.equal(remembering.unsign(good).value, 'v');
});

const t = useTestApp();

test('a session cookie altered after the good one was seen is refused', async () => {
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await admin.get('/api/auth/session')).statusCode, 200); // the good cookie is remembered now
  const good = admin.cookies.get('tt_session')!;
  const forged = new Client(t.app);
  forged.cookies.set('tt_session', `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`);
  const res = await forged.get('/api/auth/session');
  assert.equal(res.statusCode, 401);
  assert.equal((await admin.get('/api/auth/session')).statusCode, 200);
});
