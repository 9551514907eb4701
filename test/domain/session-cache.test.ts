/**
 * The per-process session cache (domain/auth/session-cache.ts, ADR 0027): a found session is
 * remembered for the TTL; what this process changes applies at once; unknown ids always go to
 * the store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedSessions } from '../../src/domain/auth/session-cache.js';
import type { SessionRecord, SessionStore } from '../../src/domain/auth/session-store.js';

function fakeStore() {
  const rows = new Map<string, SessionRecord>();
  const calls = { find: 0 };
  const store: SessionStore = {
    create: async (rec) => void rows.set(rec.id, rec),
    find: async (id) => {
      calls.find += 1;
      return rows.get(id);
    },
    touch: async (id, at) => {
      const r = rows.get(id);
      if (r) rows.set(id, { ...r, lastSeenAt: at });
    },
    revoke: async (id) => void rows.delete(id),
    revokeUser: async (userId, exceptId) => {
      let n = 0;
      for (const [id, r] of rows) if (r.userId === userId && id !== exceptId && rows.delete(id)) n++;
      return n;
    },
    listForUser: async (userId) => [...rows.values()].filter((r) => r.userId === userId),
  };
  return { store, rows, calls };
}
const session = (id: string, userId: string): SessionRecord => ({
  id,
  userId,
  createdAt: new Date(0),
  lastSeenAt: new Date(0),
  ip: null,
  userAgent: null,
});

test('a found session is remembered for the TTL, then read again', async () => {
  const { store, calls } = fakeStore();
  let now = 1_000;
  const cache = cachedSessions(store, 2_000, () => now);
  await cache.create(session('s1', 'u1'), 60_000);
  assert.equal((await cache.find('s1'))?.userId, 'u1');
  assert.equal((await cache.find('s1'))?.userId, 'u1');
  assert.equal(calls.find, 1, 'the second find is answered from memory');
  now += 1_999;
  await cache.find('s1');
  assert.equal(calls.find, 1);
  now += 1;
  await cache.find('s1');
  assert.equal(calls.find, 2, 'after the TTL the store is asked again');
});

test('unknown ids are never remembered', async () => {
  const { store, rows, calls } = fakeStore();
  const cache = cachedSessions(store, 2_000, () => 0);
  assert.equal(await cache.find('nope'), undefined);
  rows.set('nope', session('nope', 'u1')); // created by another process meanwhile
  assert.equal((await cache.find('nope'))?.userId, 'u1');
  assert.equal(calls.find, 2);
});

test('revoke, revokeUser and forgetUser apply in this process at once; touch updates what is remembered', async () => {
  const { store } = fakeStore();
  const cache = cachedSessions(store, 60_000, () => 0);
  for (const [id, user] of [
    ['a', 'u1'],
    ['b', 'u1'],
    ['c', 'u2'],
    ['d', 'u3'],
  ] as const) {
    await cache.create(session(id, user), 60_000);
    await cache.find(id);
  }
  await cache.touch('d', new Date(5_000), 60_000);
  assert.equal((await cache.find('d'))?.lastSeenAt.getTime(), 5_000);
  await cache.revoke('a');
  assert.equal(await cache.find('a'), undefined);
  assert.equal(await cache.revokeUser('u1'), 1);
  assert.equal(await cache.find('b'), undefined);
  // A changed user: the next find reads the store again (here: the session is still there).
  const { store: s2, calls } = fakeStore();
  const c2 = cachedSessions(s2, 60_000, () => 0);
  await c2.create(session('x', 'u9'), 60_000);
  await c2.find('x');
  c2.forgetUser('u9');
  await c2.find('x');
  assert.equal(calls.find, 2);
});

test('a TTL of 0 remembers nothing', async () => {
  const { store, calls } = fakeStore();
  const cache = cachedSessions(store, 0, () => 0);
  await cache.create(session('s', 'u'), 60_000);
  await cache.find('s');
  await cache.find('s');
  assert.equal(calls.find, 2);
});
