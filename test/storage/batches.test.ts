/** Batches of one kind of call (storage/batches.ts), with a fake call: no database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batches } from '../../src/storage/batches.js';

/** A send whose calls are recorded and answered only when the test says so. */
function fakeCalls() {
  const calls: Array<{ items: number[]; answer: (r: Array<string | Error>) => void; fail: (e: Error) => void }> = [];
  const send = (items: number[]) =>
    new Promise<Array<string | Error>>((answer, fail) => {
      calls.push({ items, answer, fail });
    });
  return { calls, send };
}
const tick = () => new Promise((r) => setImmediate(r));

test('an item that finds a slot free goes alone; items made meanwhile go together, in order, each with its own answer', async () => {
  const { calls, send } = fakeCalls();
  const b = new Batches<number, string>({ slots: 1, max: 10, stallMs: 10_000, send });
  const first = b.submit(1);
  const rest = [b.submit(2), b.submit(3), b.submit(4)];
  await tick();
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1]],
    'the others wait for the slot',
  );
  calls[0]!.answer(['one']);
  assert.equal(await first, 'one');
  await tick();
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1], [2, 3, 4]],
  );
  calls[1]!.answer(['two', new Error('three failed'), 'four']);
  const settled = await Promise.allSettled(rest);
  assert.deepEqual(
    settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
    ['two', 'three failed', 'four'],
  );
  assert.deepEqual(b.sent, { calls: 2, items: 4 });
});

test('slots calls run at once, and no call carries more than max items', async () => {
  const { calls, send } = fakeCalls();
  const b = new Batches<number, string>({ slots: 2, max: 3, stallMs: 10_000, send });
  const all = Array.from({ length: 9 }, (_, i) => b.submit(i));
  await tick();
  assert.deepEqual(
    calls.map((c) => c.items),
    [[0], [1]],
    'two slots: the first two go alone, the rest wait',
  );
  calls[0]!.answer(['a']);
  await tick();
  calls[1]!.answer(['b']);
  await tick();
  assert.deepEqual(
    calls.map((c) => c.items).slice(2),
    [
      [2, 3, 4],
      [5, 6, 7],
    ],
    'three at most per call',
  );
  calls[2]!.answer(['c', 'd', 'e']);
  await tick();
  assert.deepEqual(calls.map((c) => c.items).slice(4), [[8]]);
  calls[3]!.answer(['f', 'g', 'h']);
  calls[4]!.answer(['i']);
  assert.deepEqual(await Promise.all(all), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
});

test('a call that fails fails its own items only; the items behind it still go', async () => {
  const { calls, send } = fakeCalls();
  const b = new Batches<number, string>({ slots: 1, max: 10, stallMs: 10_000, send });
  const first = b.submit(1);
  const second = b.submit(2);
  await tick();
  calls[0]!.fail(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
  await assert.rejects(first, { code: '40P01' });
  await tick();
  calls[1]!.answer(['two']);
  assert.equal(await second, 'two');
});

test('a call still running after stallMs gives its slot to the items behind it', async () => {
  const { calls, send } = fakeCalls();
  const b = new Batches<number, string>({ slots: 1, max: 10, stallMs: 30, send });
  const stuck = b.submit(1);
  const behind = b.submit(2);
  await tick();
  assert.equal(calls.length, 1);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1], [2]],
    'the second call went while the first still ran',
  );
  calls[1]!.answer(['two']);
  assert.equal(await behind, 'two');
  calls[0]!.answer(['one']);
  assert.equal(await stuck, 'one');
});

test('the next call is sent before the items of the one that returned are answered', async () => {
  const { calls, send } = fakeCalls();
  const order: string[] = [];
  const b = new Batches<number, string>({
    slots: 1,
    max: 10,
    stallMs: 10_000,
    send: (items) => {
      order.push(`sent ${items.join(',')}`);
      return send(items);
    },
  });
  const first = b.submit(1).then((r) => order.push(`answered ${r}`));
  const second = b.submit(2).then((r) => order.push(`answered ${r}`));
  calls[0]!.answer(['one']);
  await first;
  calls[1]!.answer(['two']);
  await second;
  assert.deepEqual(order, ['sent 1', 'sent 2', 'answered one', 'answered two']);
});
