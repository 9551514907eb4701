/**
 * Housekeeping (SPEC §8: nothing grows without bound): expired sessions and ended rate-limit
 * windows are purged beside the stored scanId answers, once an hour across processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestApp } from '../helpers/setup.js';
import { makeUser } from '../helpers/factories.js';
import { HOUSEKEEPING_EVERY_MS, purgeExpired, runHousekeepingIfDue } from '../../src/domain/housekeeping/housekeeping.service.js';

const t = useTestApp();
const MIN = 60_000;

async function addSession(id: string, userId: string, createdAt: Date, lastSeenAt: Date) {
  await sql`insert into sessions (id, user_id, created_at, last_seen_at) values (${id}, ${userId}, ${createdAt}, ${lastSeenAt})`.execute(
    t.app.ctx.db,
  );
}
const sessionIds = async () => (await sql<{ id: string }>`select id from sessions order by id`.execute(t.app.ctx.db)).rows.map((r) => r.id);
const rateKeys = async () =>
  (await sql<{ key: string }>`select key from rate_limits order by key`.execute(t.app.ctx.db)).rows.map((r) => r.key);

test('sessions past the idle or the absolute limit are purged; live ones stay', async () => {
  const user = await makeUser(t.app, { role: 'dispatcher' });
  const now = t.clock.now().getTime();
  const { idleMs, absoluteMs } = t.app.ctx.sessionPolicy;
  await addSession('a-live', user.id, new Date(now - 5 * MIN), new Date(now - MIN));
  await addSession('b-idle', user.id, new Date(now - idleMs - 10 * MIN), new Date(now - idleMs - MIN));
  await addSession('c-too-old', user.id, new Date(now - absoluteMs - MIN), new Date(now - MIN));
  const counts = await purgeExpired(t.app.ctx);
  assert.equal(counts.sessions, 2);
  assert.deepEqual(await sessionIds(), ['a-live']);
});

test('rate-limit windows that have ended are purged; running ones stay', async () => {
  const now = t.clock.now().getTime();
  await sql`insert into rate_limits (key, hits, reset_at) values ('ended', 3, ${new Date(now - MIN)}), ('running', 2, ${new Date(now + MIN)})`.execute(
    t.app.ctx.db,
  );
  const counts = await purgeExpired(t.app.ctx);
  assert.equal(counts.rateLimits, 1);
  assert.deepEqual(await rateKeys(), ['running']);
});

test('purges go in batches until nothing is left', async () => {
  const now = t.clock.now().getTime();
  await sql`insert into rate_limits (key, hits, reset_at) select 'k' || g, 1, ${new Date(now - MIN)} from generate_series(1, 12345) g`.execute(
    t.app.ctx.db,
  );
  assert.equal((await purgeExpired(t.app.ctx)).rateLimits, 12345);
  assert.deepEqual(await rateKeys(), []);
});

test('one run an hour across processes: concurrent claims get one winner, the next hour another run', async () => {
  const user = await makeUser(t.app, { role: 'biller' });
  const now = t.clock.now().getTime();
  await addSession('idle', user.id, new Date(now - 2 * t.app.ctx.sessionPolicy.idleMs), new Date(now - 2 * t.app.ctx.sessionPolicy.idleMs));
  // Two processes' timers firing together (on PostgreSQL these are two pool connections).
  const runs = await Promise.all([runHousekeepingIfDue(t.app.ctx), runHousekeepingIfDue(t.app.ctx), runHousekeepingIfDue(t.app.ctx)]);
  const done = runs.filter((r) => r !== null);
  assert.equal(done.length, 1, 'exactly one process purges');
  assert.equal(done[0]!.sessions, 1);
  t.clock.advance(HOUSEKEEPING_EVERY_MS - MIN);
  assert.equal(await runHousekeepingIfDue(t.app.ctx), null, 'not again within the hour');
  t.clock.advance(2 * MIN);
  assert.notEqual(await runHousekeepingIfDue(t.app.ctx), null, 'due again after the hour');
});
