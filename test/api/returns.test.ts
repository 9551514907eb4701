/**
 * Return tickets through the HTTP API (SPEC §11): create (code in the display time zone), return
 * a parent (it leaves its bill, a completed one included; counters move; before/after kept),
 * every refusal, already_returned, scanId idempotency, removal (back onto the bill if it can take
 * it, else unbilled, and the answer says why), commit, cancel, list, detail, the bill's and the
 * bag's timelines, `check`, and who may do any of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { billState, createBill, enc, getBill, linkParent, parentWith } from '../helpers/bills.js';
import {
  billWith,
  cancelTicket,
  commitTicket,
  createTicket,
  getTicket,
  newTicket,
  removeBag,
  returnBag,
  ticketState,
} from '../helpers/returns.js';
import { runChecks } from '../../src/domain/check/check.service.js';

// 20:00 UTC is 01:30 the next day in Asia/Kolkata: the code carries the display-zone date.
const t = useTestApp({ startAt: '2026-11-25T20:00:00Z' });

const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

async function assertCountersExact(...billIds: string[]) {
  for (const id of billIds) {
    const { stored, recount } = await billState(t.app, id);
    assert.deepEqual({ ...stored, status: undefined }, { ...recount, status: undefined }, `${id}: counters equal a recount`);
  }
  const differences = (await runChecks(t.app.ctx)).flatMap((r) => r.differences);
  assert.deepEqual(differences, [], 'tracetrack check finds nothing');
}

test('create: 201 with the SPEC ticket, code RTN-<display-zone date>-XXXX; admin and biller may, dispatcher and anonymous may not; bad input 400', async () => {
  const biller = await loginAs(t.app, 'biller');
  const res = await createTicket(biller, 'jaipur', '  Dealer  Sharma, 12 sacks ');
  assert.equal(res.statusCode, 201, res.body);
  const ticket = res.json().ticket;
  assert.match(ticket.code, /^RTN-20261126-[0-9A-F]{4}$/);
  assert.deepEqual(
    { ...ticket, code: 'x' },
    {
      code: 'x',
      status: 'open',
      area: 'jaipur',
      notes: 'Dealer Sharma, 12 sacks',
      bagCount: 0,
      childCount: 0,
      weightKg: 0,
      createdBy: biller.user!.username,
      createdAt: '2026-11-25T20:00:00.000Z',
      closedAt: null,
    },
  );
  assert.equal((await createTicket(await loginAs(t.app, 'admin'), 'lucknow')).statusCode, 201);
  const d = await createTicket(await loginAs(t.app, 'dispatcher'));
  assert.equal(d.statusCode, 403);
  assert.equal(code(d), 'forbidden');
  assert.equal((await createTicket(new Client(t.app))).statusCode, 401);
  assert.equal(code(await createTicket(biller, 'atlantis')), 'validation_failed');
  assert.equal((await createTicket(biller, 'Not An Id')).statusCode, 400);
  assert.equal((await createTicket(biller, 'jaipur', 'x'.repeat(501))).statusCode, 400);
  assert.equal((await biller.post('/api/returns', { area: 'jaipur', extra: 1 })).statusCode, 400);
  assert.equal((await biller.post('/api/returns', 'not json', { 'content-type': 'application/json' })).statusCode, 400);
  assert.equal(code(await biller.post('/api/returns', { area: 'jaipur' }, { 'x-csrf-token': '' })), 'csrf_failed');
});

test('return: the parent leaves its bill (counters and weights move), joins the ticket; before/after kept; bill and bag timelines show it', async () => {
  const b = await loginAs(t.app, 'biller');
  await billWith(b, 'RB-1', 5, [
    ['SB00001', 4],
    ['M444-00001', 3],
  ]);
  const tk = await newTicket(b);
  const res = await returnBag(b, tk, ' sb00001 ');
  assert.equal(res.statusCode, 200, res.body);
  const r = res.json();
  assert.equal(r.outcome, 'returned');
  assert.deepEqual([r.ticket.bagCount, r.ticket.childCount, r.ticket.weightKg], [1, 4, 4]);
  assert.equal(r.bag.billId, null);
  assert.deepEqual(
    [r.bill.billId, r.bill.parentCount, r.bill.childCount, r.bill.actualWeightKg, r.bill.expectedWeightKg],
    ['RB-1', 1, 3, 3, 15],
  );
  await assertCountersExact('RB-1');

  const again = await returnBag(b, tk, 'SB00001');
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().outcome, 'already_returned');
  assert.equal(again.json().ticket.bagCount, 1);

  const detail = (await getTicket(b, tk.toLowerCase())).json();
  assert.equal(detail.ticket.code, tk);
  assert.equal(detail.bags.length, 1);
  const bag = detail.bags[0];
  assert.deepEqual([bag.code, bag.state, bag.billId, bag.childCount, bag.weightKg, bag.putBack], ['SB00001', 'open', 'RB-1', 4, 4, null]);
  assert.deepEqual(bag.billBefore, {
    billId: 'RB-1',
    status: 'processing',
    parentCount: 2,
    childCount: 7,
    actualWeightKg: 7,
    expectedWeightKg: 45,
  });
  assert.deepEqual(bag.billAfter, {
    billId: 'RB-1',
    status: 'processing',
    parentCount: 1,
    childCount: 3,
    actualWeightKg: 3,
    expectedWeightKg: 15,
  });
  assert.deepEqual(
    detail.history.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`),
    ['return.add:already_returned', 'return.add:returned', 'return.create:created'],
  );

  const billPage = (await getBill(b, 'RB-1')).json();
  const ev = billPage.history.find((e: { action: string }) => e.action === 'return.add');
  assert.ok(ev, 'the bill timeline shows the return');
  assert.equal(ev.subject, 'SB00001');
  assert.equal(ev.details.returnTicket, tk);
  assert.deepEqual(
    [ev.details.before.parentCount, ev.details.after.parentCount, ev.details.before.expectedWeightKg, ev.details.after.expectedWeightKg],
    [2, 1, 45, 15],
  );
  const bagPage = (await b.get('/api/bags/SB00001')).json();
  assert.equal(bagPage.bag.billId, null);
  assert.ok(
    bagPage.history.some((e: { action: string }) => e.action === 'return.add'),
    'the bag timeline shows the return',
  );
  const html = (await b.get('/bills/RB-1')).body;
  assert.match(html, /Returned/);
});

test('refusals: ticket_not_found, ticket_closed, bag_not_found, wrong_bag_type, not_on_bill, on_other_ticket (names it), invalid_format; each recorded', async () => {
  const b = await loginAs(t.app, 'biller');
  await billWith(b, 'RF-1', 5, [
    ['SB00001', 2],
    ['SB00002', 1],
  ]);
  await parentWith(b, 'SB00009', 1, 'U');
  const tk = await newTicket(b);
  const other = await newTicket(b);
  assert.equal((await returnBag(b, other, 'SB00002')).statusCode, 200);
  const cases: Array<[string, string, number, string]> = [
    ['RTN-20990101-FFFF', 'SB00001', 404, 'ticket_not_found'],
    ['nonsense', 'SB00001', 404, 'ticket_not_found'],
    [tk, 'SB99999', 404, 'bag_not_found'],
    [tk, 'U0000001', 409, 'wrong_bag_type'],
    [tk, 'SB00009', 409, 'not_on_bill'],
    [tk, 'SB00002', 409, 'on_other_ticket'],
    [tk, 'x'.repeat(300), 400, 'invalid_format'],
  ];
  for (const [ticket, bag, status, want] of cases) {
    const res = await returnBag(b, ticket, bag);
    assert.equal(res.statusCode, status, `${bag}: ${res.body}`);
    assert.equal(code(res), want);
  }
  assert.equal((await returnBag(b, tk, 'SB00002')).json().error.ticket, other, 'on_other_ticket names the ticket');
  const refused = await t.app.ctx.db
    .selectFrom('events')
    .select(['outcome', 'details'])
    .where('action', '=', 'return.add')
    .where('outcome', '=', 'on_other_ticket')
    .execute();
  assert.equal(refused.length, 2);
  assert.equal((refused[0]!.details as { returnTicket: string }).returnTicket, tk, 'the refusal is on the scanning ticket’s history');
  assert.equal((await getTicket(b, tk)).json().history.filter((e: { outcome: string }) => e.outcome === 'on_other_ticket').length, 2);

  assert.equal((await commitTicket(b, other)).statusCode, 200);
  const closed = await returnBag(b, other, 'SB00001');
  assert.equal(closed.statusCode, 409);
  assert.equal(code(closed), 'ticket_closed');
  assert.equal((await b.post(`/api/returns/${enc(tk)}/bags`, { code: 'SB00001', scanId: 'nope' })).statusCode, 400);
  assert.equal((await b.post(`/api/returns/${enc(tk)}/bags`, {})).statusCode, 400);
  await assertCountersExact('RF-1');
});

test('a completed bill gives up a parent and stays completed; its last parent leaving makes it new', async () => {
  const a = await loginAs(t.app, 'admin');
  await billWith(a, 'RC-1', 2, [
    ['SB00001', 3],
    ['SB00002', 2],
  ]);
  assert.equal((await a.post('/api/bills/RC-1/complete', {})).json().bill.status, 'completed');
  const tk = await newTicket(a);
  const r1 = (await returnBag(a, tk, 'SB00001')).json();
  assert.deepEqual([r1.bill.status, r1.bill.parentCount, r1.bill.childCount], ['completed', 1, 2]);
  const r2 = (await returnBag(a, tk, 'SB00002')).json();
  assert.deepEqual([r2.bill.status, r2.bill.parentCount, r2.bill.completedAt], ['new', 0, null]);
  await assertCountersExact('RC-1');
});

test('remove: back onto its bill when it can take it; else unbilled with the reason (full, completed, deleted)', async () => {
  const a = await loginAs(t.app, 'admin');
  await billWith(a, 'RM-1', 2, [
    ['SB00001', 2],
    ['SB00002', 1],
  ]);
  await billWith(a, 'RM-2', 1, [['SB00003', 1]]);
  await billWith(a, 'RM-3', 3, [
    ['SB00004', 1],
    ['SB00005', 1],
  ]);
  const tk = await newTicket(a);
  for (const p of ['SB00001', 'SB00002', 'SB00003', 'SB00004']) assert.equal((await returnBag(a, tk, p)).statusCode, 200);

  const back = await removeBag(a, tk, 'SB00001');
  assert.equal(back.statusCode, 200, back.body);
  assert.deepEqual(back.json().putBack, { outcome: 'back_on_bill', reason: null, billId: 'RM-1' });
  assert.equal(back.json().bag.billId, 'RM-1');
  assert.deepEqual([back.json().bill.parentCount, back.json().bill.childCount], [1, 2]);
  assert.deepEqual([back.json().ticket.bagCount, back.json().ticket.childCount], [3, 3]);

  // RM-1 is full again (capacity 2): SB00002 cannot go back.
  await parentWith(a, 'SB00006', 0, 'Z');
  assert.equal((await linkParent(a, 'RM-1', 'SB00006')).statusCode, 200);
  const full = (await removeBag(a, tk, 'SB00002')).json();
  assert.deepEqual(full.putBack, { outcome: 'left_unbilled', reason: 'bill_full', billId: 'RM-1' });
  assert.equal(full.bill, null);
  assert.equal(full.bag.billId, null);

  await parentWith(a, 'SB00007', 0, 'Y');
  await createBill(a, 'RM-X', 1);
  await linkParent(a, 'RM-X', 'SB00007');
  await a.post('/api/bills/RM-X/complete', {});
  assert.equal((await a.delete('/api/bills/RM-2')).statusCode, 204);
  assert.deepEqual((await removeBag(a, tk, 'SB00003')).json().putBack, {
    outcome: 'left_unbilled',
    reason: 'bill_deleted',
    billId: 'RM-2',
  });

  await a.post('/api/bills/RM-3/complete', { reason: 'short truck' });
  assert.deepEqual((await removeBag(a, tk, 'SB00004')).json().putBack, {
    outcome: 'left_unbilled',
    reason: 'bill_completed',
    billId: 'RM-3',
  });

  const missing = await removeBag(a, tk, 'SB00004');
  assert.equal(missing.statusCode, 404);
  assert.equal(code(missing), 'not_found');
  assert.equal(code(await removeBag(a, tk, 'SB77777')), 'bag_not_found');
  assert.equal(code(await removeBag(a, 'RTN-20990101-0000', 'SB00001')), 'ticket_not_found');
  const detail = (await getTicket(a, tk)).json();
  assert.deepEqual(
    detail.bags.map((x: { state: string; putBack: string }) => `${x.state}:${x.putBack}`),
    ['removed:back_on_bill', 'removed:left_unbilled', 'removed:left_unbilled', 'removed:left_unbilled'],
  );
  assert.deepEqual([detail.ticket.bagCount, detail.ticket.childCount, detail.ticket.weightKg], [0, 0, 0]);
  await assertCountersExact('RM-1', 'RM-3', 'RM-X');
});

test('commit (at least one bag) and cancel (every bag back where it can go); closed tickets refuse changes; list by status', async () => {
  const b = await loginAs(t.app, 'biller');
  await billWith(b, 'RK-1', 3, [
    ['SB00001', 2],
    ['SB00002', 1],
    ['M444-00001', 5],
  ]);
  const empty = await newTicket(b);
  const e = await commitTicket(b, empty);
  assert.equal(e.statusCode, 409);
  assert.equal(code(e), 'ticket_empty');

  const tk = await newTicket(b);
  await returnBag(b, tk, 'SB00001');
  const done = await commitTicket(b, tk);
  assert.equal(done.statusCode, 200);
  assert.deepEqual(
    [done.json().ticket.status, done.json().ticket.bagCount, done.json().ticket.closedAt],
    ['committed', 1, '2026-11-25T20:00:00.000Z'],
  );
  for (const res of [await commitTicket(b, tk), await cancelTicket(b, tk), await removeBag(b, tk, 'SB00001')]) {
    assert.equal(res.statusCode, 409);
    assert.equal(code(res), 'ticket_closed');
  }
  // A committed return is final: the bag may be returned again only after it is billed again.
  const tk2 = await newTicket(b);
  assert.equal(code(await returnBag(b, tk2, 'SB00001')), 'not_on_bill');

  await returnBag(b, tk2, 'SB00002');
  await returnBag(b, tk2, 'M444-00001');
  await parentWith(b, 'SB00003', 0, 'Q');
  await linkParent(b, 'RK-1', 'SB00003');
  await linkParent(b, 'RK-1', 'SB00001');
  // RK-1 now has room for one of the two: the first by bag id goes back, the other stays unbilled.
  const c = await cancelTicket(b, tk2);
  assert.equal(c.statusCode, 200, c.body);
  assert.deepEqual([c.json().ticket.status, c.json().ticket.bagCount], ['cancelled', 0]);
  const bags = (await getTicket(b, tk2)).json().bags;
  assert.deepEqual(
    bags.map((x: { code: string; state: string; putBack: string }) => `${x.code}:${x.state}:${x.putBack}`),
    ['SB00002:cancelled:back_on_bill', 'M444-00001:cancelled:left_unbilled'],
  );
  const bill = (await getBill(b, 'RK-1')).json();
  assert.equal(bill.bill.parentCount, 3);
  assert.ok(
    bill.history.some((x: { action: string; subject: string }) => x.action === 'return.cancel' && x.subject === tk2),
    'the bill timeline shows the cancel',
  );
  await assertCountersExact('RK-1');

  const list = async (q: string) => (await b.get(`/api/returns${q}`)).json().items.map((x: { code: string }) => x.code);
  assert.deepEqual(await list(''), [tk2, tk, empty]);
  assert.deepEqual(await list('?status=open'), [empty]);
  assert.deepEqual(await list('?status='), [tk2, tk, empty]);
  assert.deepEqual(await list('?status=committed'), [tk]);
  assert.deepEqual(await list('?status=cancelled'), [tk2]);
  assert.equal((await b.get('/api/returns?status=lost')).statusCode, 400);
  const page = (await b.get('/api/returns?limit=2')).json();
  assert.equal(page.items.length, 2);
  assert.deepEqual(
    (await b.get(`/api/returns?limit=2&cursor=${page.nextCursor}`)).json().items.map((x: { code: string }) => x.code),
    [empty],
  );
  assert.equal(code(await getTicket(b, 'RTN-20990101-0000')), 'ticket_not_found');
});

test('scanId: a repeated return replays the first answer and writes nothing more', async () => {
  const b = await loginAs(t.app, 'biller');
  await billWith(b, 'RI-1', 3, [['SB00001', 2]]);
  const tk = await newTicket(b);
  const scanId = crypto.randomUUID();
  const first = await returnBag(b, tk, 'SB00001', { scanId });
  const second = await returnBag(b, tk, 'SB00001', { scanId });
  assert.equal(second.statusCode, 200);
  assert.deepEqual(second.json(), first.json());
  assert.equal(second.json().outcome, 'returned');
  const n = await sql<{ n: string }>`select count(*) as n from events where action = 'return.add'`.execute(t.app.ctx.db);
  assert.equal(Number(n.rows[0]!.n), 1);
  const refusedId = crypto.randomUUID();
  const r1 = await returnBag(b, tk, 'SB55555', { scanId: refusedId });
  const r2 = await returnBag(b, tk, 'SB55555', { scanId: refusedId });
  assert.deepEqual([code(r1), code(r2)], ['bag_not_found', 'bag_not_found']);
  const st = await ticketState(t.app, tk);
  assert.deepEqual(st.stored, st.recount);
});

test('check: ticket counters are recounted, a corrupted one is reported and fixed', async () => {
  const b = await loginAs(t.app, 'biller');
  await billWith(b, 'RX-1', 3, [['SB00001', 2]]);
  const tk = await newTicket(b);
  await returnBag(b, tk, 'SB00001');
  await assertCountersExact('RX-1');
  await sql`update return_tickets set child_count = 99`.execute(t.app.ctx.db);
  const found = (await runChecks(t.app.ctx)).find((r) => r.check === 'return-ticket-counters')!;
  assert.deepEqual(found.differences, [{ subject: tk, field: 'childCount', stored: 99, recounted: 2 }]);
  await runChecks(t.app.ctx, { fix: true });
  await assertCountersExact('RX-1');
});

test('dispatchers are refused every returns route (403), anonymous 401', async () => {
  const b = await loginAs(t.app, 'biller');
  const tk = await newTicket(b);
  const d = await loginAs(t.app, 'dispatcher');
  const anon = new Client(t.app);
  for (const c of [d, anon]) {
    const want = c === d ? 403 : 401;
    for (const res of [
      await c.get('/api/returns'),
      await getTicket(c, tk),
      await createTicket(c),
      await returnBag(c, tk, 'SB00001'),
      await removeBag(c, tk, 'SB00001'),
      await commitTicket(c, tk),
      await cancelTicket(c, tk),
    ])
      assert.equal(res.statusCode, want, res.body);
  }
  const a = await loginAs(t.app, 'admin');
  assert.equal((await a.get('/api/returns')).statusCode, 200);
  assert.equal((await getTicket(a, tk)).statusCode, 200);
  assert.equal((await cancelTicket(a, tk)).statusCode, 200);
});

test('odd input never gives a 5xx: NUL bytes, emoji, very long paths, wrong types', async () => {
  const b = await loginAs(t.app, 'biller');
  const tk = await newTicket(b);
  const answers = [
    await b.post('/api/returns/%00/bags', { code: 'SB00001' }),
    await b.get(`/api/returns/${'R'.repeat(101)}`),
    await b.get('/api/returns/%F0%9F%98%80'),
    await returnBag(b, tk, 'SB\u000000001\u200b'),
    await returnBag(b, tk, '\u{1F600}'),
    await b.post(`/api/returns/${tk}/bags`, { code: 42 }),
    await b.post(`/api/returns/${tk}/bags`, { code: ['SB00001'] }),
    await removeBag(b, tk, '%00'),
    await removeBag(b, tk, 'x'.repeat(300)),
    await b.post('/api/returns', { area: 'jaipur', notes: 'a\u0000b' }),
    await b.get('/api/returns?cursor=abc'),
    await b.get('/api/returns?limit=0'),
    await b.post('/returns', 'area=jaipur&notes=%00', { 'content-type': 'application/x-www-form-urlencoded' }),
  ];
  for (const res of answers) assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body.slice(0, 200)}`);
  assert.equal(
    (await returnBag(b, tk, 'SB\u000000001')).json().error.code,
    'bag_not_found',
    'control characters are removed before the look-up',
  );
});

test("the daily report counts the day's tickets and returned bags; a repeat and a refusal do not count (SPEC §12)", async () => {
  const biller = await loginAs(t.app, 'biller');
  await billWith(biller, 'REP-1', 3, [
    ['SB00501', 2],
    ['SB00502', 1],
  ]);
  const ticket = await newTicket(biller);
  await newTicket(biller);
  assert.equal((await returnBag(biller, ticket, 'SB00501')).json().outcome, 'returned');
  assert.equal((await returnBag(biller, ticket, 'SB00501')).json().outcome, 'already_returned');
  assert.equal((await returnBag(biller, ticket, 'SB09999')).statusCode, 404);
  // 20:00 UTC on the 25th is the 26th in the display time zone.
  const report = (await biller.get('/api/reports/daily?date=2026-11-26')).json();
  assert.deepEqual(report.returns, { tickets: 2, bags: 1 });
});
