/**
 * Returns under concurrency, on real PostgreSQL only (PGlite runs one statement at a time, so
 * nothing can race there). Every request must end in a decision (2xx/4xx) — a deadlock would
 * surface as a 500 — and afterwards every bill's and ticket's counters equal `tracetrack check`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { loginAs, type Client } from '../helpers/http.js';
import { billState, createBill, linkParent, removeParent } from '../helpers/bills.js';
import { fill, scanChild, scanParent, childCode } from '../helpers/scans.js';
import { cancelTicket, newTicket, returnBag, ticketState } from '../helpers/returns.js';
import { runChecks } from '../../src/domain/check/check.service.js';

const skip = !usingPostgres && 'PGlite serialises everything: races only mean something on PostgreSQL';
const t = useTestApp();

const billers = (n: number) => Promise.all(Array.from({ length: n }, () => loginAs(t.app, 'biller')));
const sb = (i: number) => `SB${String(i).padStart(5, '0')}`;

function decided(results: Array<{ statusCode: number; body: string }>) {
  for (const r of results) assert.ok(r.statusCode < 500, `no request may fail: ${r.statusCode} ${r.body}`);
}

async function assertAllExact(billIds: string[], tickets: string[]) {
  for (const id of billIds) {
    const { stored, recount } = await billState(t.app, id);
    assert.deepEqual({ ...stored, status: undefined }, { ...recount, status: undefined }, `${id}: counters equal a recount`);
  }
  for (const code of tickets) {
    const { stored, recount } = await ticketState(t.app, code);
    assert.deepEqual(stored, recount, `${code}: counters equal a recount`);
  }
  assert.deepEqual(
    (await runChecks(t.app.ctx)).flatMap((r) => r.differences),
    [],
    'tracetrack check finds nothing',
  );
}

test('one parent fired at two tickets at once, 20 times: on exactly one, the other answer names it', { skip }, async () => {
  const [a, b] = (await billers(2)) as [Client, Client];
  await createBill(a, 'RR-1', 20);
  const [ta, tb] = [await newTicket(a), await newTicket(b)];
  for (let i = 1; i <= 20; i++) {
    await scanParent(a, sb(i));
    await fill(a, sb(i), i % 3, `R${i}X`);
    assert.equal((await linkParent(a, 'RR-1', sb(i))).statusCode, 200);
  }
  for (let i = 1; i <= 20; i++) {
    const [ra, rb] = await Promise.all([returnBag(a, ta, sb(i)), returnBag(b, tb, sb(i))]);
    decided([ra, rb]);
    const ok = [ra, rb].filter((r) => r.statusCode === 200);
    assert.equal(ok.length, 1, `round ${i}: ${ra.body} | ${rb.body}`);
    const loser = ra.statusCode === 200 ? rb : ra;
    assert.equal(loser.json().error.code, 'on_other_ticket');
    assert.equal(loser.json().error.ticket, ra.statusCode === 200 ? ta : tb);
  }
  const bill = await billState(t.app, 'RR-1');
  assert.equal(bill.stored.parentCount, 0);
  assert.equal(bill.stored.status, 'new');
  const [sa, sbb] = [await ticketState(t.app, ta), await ticketState(t.app, tb)];
  assert.equal(sa.stored.bagCount + sbb.stored.bagCount, 20);
  await assertAllExact(['RR-1'], [ta, tb]);
});

test('a return racing a bill removal of the same parent, 20 times: exactly one wins, the other is refused; counters exact', {
  skip,
}, async () => {
  const [a, b] = (await billers(2)) as [Client, Client];
  await createBill(a, 'RR-2', 30);
  const tk = await newTicket(a);
  let returned = 0;
  for (let i = 1; i <= 20; i++) {
    await scanParent(a, sb(i));
    await fill(a, sb(i), 2, `Q${i}X`);
    await linkParent(a, 'RR-2', sb(i));
    const [ret, rem] = await Promise.all([returnBag(a, tk, sb(i)), removeParent(b, 'RR-2', sb(i))]);
    decided([ret, rem]);
    const wins = [ret, rem].filter((r) => r.statusCode === 200);
    assert.equal(wins.length, 1, `round ${i}: ${ret.body} | ${rem.body}`);
    if (ret.statusCode === 200) {
      returned += 1;
      assert.equal(rem.json().error.code, 'not_found');
    } else {
      assert.equal(ret.json().error.code, 'not_on_bill');
    }
  }
  const st = await ticketState(t.app, tk);
  assert.equal(st.stored.bagCount, returned);
  assert.equal((await billState(t.app, 'RR-2')).stored.parentCount, 0);
  await assertAllExact(['RR-2'], [tk]);
});

test('returns, child scans into the returned parents and a cancel all at once: nothing deadlocks, every counter equals a recount', {
  skip,
}, async () => {
  const clients = await billers(6);
  const [a] = clients as [Client];
  for (const bill of ['RR-3', 'RR-4']) await createBill(a, bill, 20);
  for (let i = 1; i <= 24; i++) {
    await scanParent(a, sb(i));
    await fill(a, sb(i), 3, `P${i}X`);
    await linkParent(a, i % 2 ? 'RR-3' : 'RR-4', sb(i));
  }
  const tickets = [await newTicket(a), await newTicket(a), await newTicket(a)];
  // First wave: half the parents onto the first ticket (to be cancelled while others arrive).
  for (let i = 1; i <= 8; i++) await returnBag(a, tickets[0]!, sb(i));
  const work = [
    cancelTicket(clients[1]!, tickets[0]!),
    ...Array.from({ length: 16 }, (_, k) => returnBag(clients[(k % 5) + 1]!, tickets[1 + (k % 2)]!, sb(9 + k))),
    ...Array.from({ length: 8 }, (_, k) => returnBag(clients[k % 6]!, tickets[0]!, sb(17 + k))),
    ...Array.from({ length: 12 }, (_, k) => scanChild(clients[k % 6]!, sb(1 + (k % 24)), childCode(900 + k, 'Z'))),
  ];
  const results = await Promise.all(work);
  decided(results);
  assert.equal(results[0]!.statusCode, 200, results[0]!.body);
  await assertAllExact(['RR-3', 'RR-4'], tickets);
});

test('a cancel while 24 parents are being returned onto the same ticket, 3 rounds: the cancel always succeeds, each return lands before it or is refused', {
  skip,
}, async () => {
  const clients = await billers(6);
  const [a] = clients as [Client];
  await createBill(a, 'RR-5', 30);
  for (let i = 101; i <= 124; i++) {
    await scanParent(a, sb(i));
    await fill(a, sb(i), 1, `C${i}X`);
    await linkParent(a, 'RR-5', sb(i));
  }
  for (let round = 1; round <= 3; round++) {
    const tk = await newTicket(a);
    const cancel = cancelTicket(clients[0]!, tk);
    const returns = Array.from({ length: 24 }, (_, k) => returnBag(clients[1 + (k % 5)]!, tk, sb(101 + k)));
    const results = await Promise.all([cancel, ...returns]);
    decided(results);
    assert.equal(results[0]!.statusCode, 200, `round ${round}: ${results[0]!.body}`);
    for (const r of results.slice(1)) {
      if (r.statusCode !== 200) assert.equal(r.json().error.code, 'ticket_closed', r.body);
    }
    // Whatever landed before the cancel went back onto the bill: all 24 are billed again.
    assert.equal((await billState(t.app, 'RR-5')).stored.parentCount, 24, `round ${round}`);
    await assertAllExact(['RR-5'], [tk]);
  }
});
