/**
 * An attempt PostgreSQL aborts as a deadlock victim (40P01) or a serialization failure (40001)
 * runs again instead of answering 500: an import chunk locks its bags in code order while a
 * station locks its parent first, so either may be picked (ADR 0024). Nothing of the aborted
 * run stays: one history row in the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAttempt } from '../../src/domain/attempt.js';
import type { Actor } from '../../src/domain/actor.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

async function biller(): Promise<Actor> {
  const u = await makeUser(t.app, { role: 'biller' });
  return { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
}
const conflict = (code: string) => Object.assign(new Error(`simulated ${code}`), { code });
const historyOf = (subject: string) =>
  t.app.ctx.db.selectFrom('events').select(['action', 'outcome']).where('subject', '=', subject).execute();

test('a deadlock victim or serialization failure runs again; one history row is written', async () => {
  const actor = await biller();
  for (const code of ['40P01', '40001']) {
    let runs = 0;
    const value = await runAttempt(t.app.ctx, actor, { action: 'test.attempt' }, async (_tx, note) => {
      runs += 1;
      note.subject = `conflict-${code}`;
      if (runs === 1) throw conflict(code);
      return { value: 'done', outcome: 'ok' };
    });
    assert.equal(value, 'done');
    assert.equal(runs, 2, `${code}: ran again once`);
    assert.deepEqual(await historyOf(`conflict-${code}`), [{ action: 'test.attempt', outcome: 'ok' }]);
  }
});

test('a conflict that keeps coming gives up after three runs; any other error is not retried', async () => {
  const actor = await biller();
  let runs = 0;
  await assert.rejects(
    runAttempt(t.app.ctx, actor, { action: 'test.attempt' }, async () => {
      runs += 1;
      throw conflict('40P01');
    }),
    /simulated 40P01/,
  );
  assert.equal(runs, 3);
  runs = 0;
  await assert.rejects(
    runAttempt(t.app.ctx, actor, { action: 'test.attempt' }, async () => {
      runs += 1;
      throw new Error('a bug');
    }),
    /a bug/,
  );
  assert.equal(runs, 1);
});
