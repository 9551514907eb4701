/**
 * Bill concurrency on real PostgreSQL only (PGlite runs one statement at a time, so nothing can
 * race there). Every request must end in a decision (2xx/4xx) — a deadlock would surface as a
 * 500 — and every counter must equal a recount afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { loginAs, type Client } from '../helpers/http.js';
import { billState, createBill, linkParent, removeParent } from '../helpers/bills.js';
import { childCode, scanChild, scanParent } from '../helpers/scans.js';

const skip = !usingPostgres && 'PGlite serialises everything: races only mean something on PostgreSQL';
const t = useTestApp();

const billers = (n: number) => Promise.all(Array.from({ length: n }, () => loginAs(t.app, 'biller')));
const sb = (i: number) => `SB${String(i).padStart(5, '0')}`;

function decided(results: Array<{ statusCode: number; body: string }>) {
  for (const r of results) assert.ok(r.statusCode < 500, `no request may fail: ${r.statusCode} ${r.body}`);
}

async function assertExact(billId: string) {
  const { stored, recount } = await billState(t.app, billId);
  assert.deepEqual({ ...stored, status: undefined }, { ...recount, status: undefined }, `${billId}: counters equal a recount`);
  assert.equal(stored.status === 'new', stored.parentCount === 0);
  return stored;
}

test('40 parents fired at once at a bill of capacity 25: exactly 25 linked, 15 capacity_reached, counter 25', { skip }, async () => {
  const clients = await billers(5);
  await createBill(clients[0]!, 'RACE-1', 25);
  for (let i = 1; i <= 40; i++) await scanParent(clients[0]!, sb(i));
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => linkParent(clients[i % 5]!, 'RACE-1', sb(i + 1))));
  decided(results);
  const linked = results.filter((r) => r.statusCode === 200);
  assert.equal(linked.length, 25);
  for (const r of results.filter((x) => x.statusCode !== 200)) assert.equal(r.json().error.code, 'capacity_reached');
  assert.deepEqual(
    linked.map((r) => r.json().bill.parentCount).sort((a, b) => a - b),
    Array.from({ length: 25 }, (_, i) => i + 1),
  );
  const stored = await assertExact('RACE-1');
  assert.equal(stored.parentCount, 25);
  assert.equal(stored.expectedWeightKg, 25 * 30);
});

test('one parent fired at two bills at once, 20 times: on exactly one, the other answer names it', { skip }, async () => {
  const [a, b] = (await billers(2)) as [Client, Client];
  await createBill(a, 'TWIN-A', 100);
  await createBill(a, 'TWIN-B', 100);
  for (let i = 1; i <= 20; i++) {
    await scanParent(a, sb(i));
    const [ra, rb] = await Promise.all([linkParent(a, 'TWIN-A', sb(i)), linkParent(b, 'TWIN-B', sb(i))]);
    decided([ra, rb]);
    const ok = [ra, rb].filter((r) => r.statusCode === 200);
    assert.equal(ok.length, 1, `round ${i}: ${ra.body} | ${rb.body}`);
    const loser = ra.statusCode === 200 ? rb : ra;
    assert.equal(loser.json().error.code, 'already_linked_other_bill');
    assert.equal(loser.json().error.billId, ra.statusCode === 200 ? 'TWIN-A' : 'TWIN-B');
  }
  const [x, y] = [await assertExact('TWIN-A'), await assertExact('TWIN-B')];
  assert.equal(x.parentCount + y.parentCount, 20);
});

test('child scans and undos into billed parents while parents are linked and removed: counters exact, no deadlock', { skip }, async () => {
  const clients = await billers(6);
  await createBill(clients[0]!, 'MIX-1', 50);
  for (let i = 1; i <= 12; i++) await scanParent(clients[0]!, sb(i));
  for (let i = 1; i <= 6; i++) await linkParent(clients[0]!, 'MIX-1', sb(i));
  const work: Array<Promise<{ statusCode: number; body: string }>> = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 1; i <= 12; i++) work.push(scanChild(clients[(i + round) % 6]!, sb(i), childCode(round * 100 + i)));
    work.push(linkParent(clients[round]!, 'MIX-1', sb(7 + round)));
    work.push(removeParent(clients[round + 1]!, 'MIX-1', sb(1 + round)));
    work.push(clients[5]!.post('/api/scans/undo', { parentCode: sb(2 + round) }));
  }
  const results = await Promise.all(work);
  decided(results);
  await assertExact('MIX-1');
});

test('completing while children pour in: after the completion commits no child joins the bill', { skip }, async () => {
  const clients = await billers(6);
  await createBill(clients[0]!, 'DONE-1', 3);
  for (let i = 1; i <= 3; i++) {
    await scanParent(clients[0]!, sb(i));
    await linkParent(clients[0]!, 'DONE-1', sb(i));
  }
  const scans = Array.from({ length: 45 }, (_, i) => scanChild(clients[i % 6]!, sb((i % 3) + 1), childCode(i + 1)));
  await Promise.race(scans); // let the scans get going: complete once the first has an answer
  const complete = clients[0]!.post('/api/bills/DONE-1/complete');
  const results = await Promise.all([...scans, complete]);
  decided(results);
  assert.equal((await complete).statusCode, 200);
  const stored = await assertExact('DONE-1');
  const refused = results.filter((r) => r.statusCode === 409).length;
  assert.equal(stored.childCount + refused, 45, 'every scan either counted on the bill or was refused');
  const completion = await t.app.ctx.db
    .selectFrom('events')
    .select('details')
    .where('action', '=', 'bill.complete')
    .executeTakeFirstOrThrow();
  assert.equal(
    stored.childCount,
    (completion.details as { childCount: number }).childCount,
    'the bill holds what it held when it was completed',
  );
  assert.ok((await scanChild(clients[1]!, sb(1), childCode(999))).json().error.code === 'bill_completed');
});

test('deleting a bill while its parents are filled and new parents are linked: no deadlock, all parents unbilled', { skip }, async () => {
  const clients = await billers(5);
  const admin = await loginAs(t.app, 'admin');
  for (let round = 0; round < 5; round++) {
    const bill = `DEL-${round}`;
    await createBill(clients[0]!, bill, 20);
    for (let i = 1; i <= 6; i++) await scanParent(clients[0]!, sb(round * 10 + i));
    for (let i = 1; i <= 3; i++) await linkParent(clients[0]!, bill, sb(round * 10 + i));
    const work = [
      ...Array.from({ length: 12 }, (_, i) => scanChild(clients[i % 5]!, sb(round * 10 + (i % 3) + 1), childCode(round * 100 + i))),
      ...Array.from({ length: 3 }, (_, i) => linkParent(clients[i]!, bill, sb(round * 10 + 4 + i))),
      admin.delete(`/api/bills/${bill}`),
    ];
    const results = await Promise.all(work);
    decided(results);
    assert.equal(results[results.length - 1]!.statusCode, 204);
    const left = await t.app.ctx.db.selectFrom('bags').select('code').where('bill_id', 'is not', null).execute();
    assert.deepEqual(left, [], `round ${round}: no parent still points at a deleted bill`);
  }
});
