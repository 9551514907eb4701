/** GET /api/search: exact first, prefix and contains suggestions, bill ids, area hiding, odd input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';
import { errorCode } from '../helpers/lookups.js';

const t = useTestApp({ perFile: true, setup });
let lucknow: Client;
let indore: Client;
let biller: Client;
let admin: Client;

const find = (c: Client, q: string) => c.get(`/api/search?q=${encodeURIComponent(q)}`);
const codes = (res: { json(): { bags: Array<{ code: string }> } }) => res.json().bags.map((b) => b.code);

/** The data the whole file reads, once the app is built. */
async function setup() {
  lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  biller = await loginAs(t.app, 'biller');
  admin = await loginAs(t.app, 'admin');
  for (const code of ['SB00860', 'SB00861', 'SB00862', 'SB10086']) assert.equal((await scanParent(lucknow, code)).statusCode, 200);
  assert.equal((await scanParent(indore, 'SB00869')).statusCode, 200);
  assert.equal((await scanChild(lucknow, 'SB00860', '0016586')).statusCode, 200);
  await insertLegacyBag(t.app, { code: 'PAWAN GODARA 09', type: 'child' });
  assert.equal((await biller.post('/api/bills', { billId: 'bill-2026/01', capacity: 2 })).statusCode, 201);
  assert.equal((await biller.post('/api/bills', { billId: 'SB00860-T', capacity: 1 })).statusCode, 201);
}

test('exact match first, after normalising like a scan (case, NBSP, zero-width, CR/LF)', async () => {
  for (const q of ['SB00860', ' sb00860\r\n', '\u200bSb00860\ufeff', '\u00a0sb00860\t']) {
    const res = await find(lucknow, q);
    assert.equal(res.statusCode, 200, q);
    assert.deepEqual(res.json().exact, { type: 'bag', code: 'SB00860' }, JSON.stringify(q));
    assert.equal(codes(res)[0], 'SB00860');
  }
  const child = (await find(admin, '0016586')).json();
  assert.deepEqual(child.exact, { type: 'bag', code: '0016586' });
  assert.equal(child.bags[0].parentCode, 'SB00860');
  assert.deepEqual(
    (await find(admin, 'pawan   godara 09')).json().exact,
    { type: 'bag', code: 'PAWAN GODARA 09' },
    'legacy codes with spaces',
  );
});

test('prefix suggestions in code order, then contains suggestions; no exact hit', async () => {
  const prefix = await find(admin, 'sb0086');
  assert.equal(prefix.json().exact, null);
  assert.deepEqual(codes(prefix), ['SB00860', 'SB00861', 'SB00862', 'SB00869']);
  const contains = await find(admin, '0086');
  assert.equal(contains.json().exact, null);
  assert.deepEqual(codes(contains), ['SB00860', 'SB00861', 'SB00862', 'SB00869', 'SB10086']);
  assert.deepEqual(codes(await find(admin, 'GODARA')), ['PAWAN GODARA 09']);
  assert.deepEqual(codes(await find(admin, 'SB')).slice(0, 3), ['SB00860', 'SB00861', 'SB00862'], 'a short prefix');
  assert.deepEqual(codes(await find(admin, 'ZZZ')), []);
});

test('bill ids: exact and suggestions for billers and admins; dispatchers never see bills', async () => {
  for (const c of [biller, admin]) {
    const res = await find(c, ' BILL-2026/01 ');
    assert.deepEqual(res.json().exact, { type: 'bill', billId: 'BILL-2026/01' });
    assert.deepEqual(
      res.json().bills.map((b: { billId: string }) => b.billId),
      ['BILL-2026/01'],
    );
    assert.deepEqual(Object.keys(res.json().bills[0]).sort(), ['billId', 'capacity', 'createdAt', 'parentCount', 'status']);
    const hit = res.json().bills[0];
    assert.deepEqual([hit.status, hit.capacity, hit.parentCount], ['new', 2, 0], 'the bill row of the one prefix statement');
    assert.ok(Math.abs(Date.parse(hit.createdAt) - Date.now()) < 600_000, hit.createdAt);
    const bag = (await find(c, '0016586')).json().bags[0];
    assert.deepEqual([bag.code, bag.type, bag.parentCode, bag.area, bag.status], ['0016586', 'child', 'SB00860', 'lucknow', 'linked']);
    assert.deepEqual(
      (await find(c, '2026')).json().bills.map((b: { billId: string }) => b.billId),
      ['BILL-2026/01'],
      'contains',
    );
  }
  const d = await find(lucknow, 'BILL-2026/01');
  assert.equal(d.statusCode, 200);
  assert.deepEqual(d.json(), { exact: null, bags: [], bills: [] });
  // A bag code and a bill id alike: the bag is the exact hit, the bill a suggestion.
  const both = (await find(biller, 'SB00860')).json();
  assert.deepEqual(both.exact, { type: 'bag', code: 'SB00860' });
  assert.deepEqual(
    both.bills.map((b: { billId: string }) => b.billId),
    ['SB00860-T'],
  );
});

test('area hiding: a dispatcher finds only their own area’s bags, exact or suggested', async () => {
  assert.deepEqual((await find(indore, 'SB00860')).json(), { exact: null, bags: [], bills: [] });
  assert.deepEqual(codes(await find(indore, 'SB0086')), ['SB00869']);
  assert.deepEqual(codes(await find(indore, '0086')), ['SB00869']);
  assert.deepEqual(codes(await find(lucknow, '0086')), ['SB00860', 'SB00861', 'SB00862', 'SB10086']);
  assert.deepEqual((await find(lucknow, 'SB00869')).json().exact, null);
  assert.deepEqual((await find(biller, 'SB00869')).json().exact, { type: 'bag', code: 'SB00869' });
});

test('contains suggestions only when fewer than 10 codes in any area start with the text, for every role', async () => {
  // Ten codes start with LOT7, one of them in indore; an indore code has LOT7 inside it.
  for (let i = 0; i < 9; i++) await insertLegacyBag(t.app, { code: `LOT7${i}`, type: 'child' });
  await insertLegacyBag(t.app, { code: 'LOT79', type: 'child', areaId: 'indore' });
  await insertLegacyBag(t.app, { code: 'OLDLOT7A', type: 'child', areaId: 'indore' });
  assert.deepEqual(codes(await find(indore, 'LOT7')), ['LOT79'], 'text that starts ten codes: prefix suggestions only');
  assert.equal(codes(await find(admin, 'LOT7')).length, 10);
  assert.deepEqual(codes(await find(indore, 'OT7')), ['LOT79', 'OLDLOT7A'], 'nothing starts with it: contains');
  assert.deepEqual(codes(await find(indore, 'LOT79')), ['LOT79'], 'exact');
  assert.equal(codes(await find(lucknow, 'LOT7')).length, 9);
});

test('bill contains suggestions follow the same rule: none for text that starts ten bag codes', async () => {
  for (let i = 0; i < 10; i++) await insertLegacyBag(t.app, { code: `RUN4${i}`, type: 'child' });
  assert.equal((await biller.post('/api/bills', { billId: 'TRUCK-RUN4-A', capacity: 1 })).statusCode, 201);
  const billIds = (res: { json(): { bills: Array<{ billId: string }> } }) => res.json().bills.map((b) => b.billId);
  for (const c of [biller, admin]) {
    const typed = await find(c, 'RUN4');
    assert.equal(codes(typed).length, 10);
    assert.deepEqual(billIds(typed), [], 'the front of ten bag codes: no contains look-up, for bills either');
    assert.deepEqual(billIds(await find(c, 'UN4')), ['TRUCK-RUN4-A'], 'nothing starts with it: contains');
    assert.deepEqual(billIds(await find(c, 'TRUCK-R')), ['TRUCK-RUN4-A'], 'a bill prefix is always suggested');
  }
});

test('odd input: wildcards are literal, injection is text, blank is empty, too long is a 400', async () => {
  for (const q of ['%', '_', '\\', '%86%', 'SB_0860', "'; drop table bags; --", '\u0000', '😀😀😀', 'ß']) {
    const res = await find(admin, q);
    assert.equal(res.statusCode, 200, JSON.stringify(q));
    assert.deepEqual(res.json().bags, [], JSON.stringify(q));
  }
  for (const q of ['', '   ', '\u200b\u200d', '\r\n\t'])
    assert.deepEqual((await find(admin, q)).json(), { exact: null, bags: [], bills: [] });
  const long = await find(admin, 'A'.repeat(300));
  assert.equal(long.statusCode, 400);
  assert.equal(errorCode(long), 'invalid_format');
  const huge = await find(admin, 'A'.repeat(5000));
  assert.equal(huge.statusCode, 400);
  assert.equal(errorCode(huge), 'validation_failed');
  assert.equal((await admin.get('/api/search')).statusCode, 400, 'q is required');
  assert.equal((await admin.get('/api/search?q=a&q=b')).statusCode, 400, 'one q');
});

test('every role may search; anonymous may not', async () => {
  for (const c of [admin, biller, lucknow]) assert.equal((await find(c, 'SB')).statusCode, 200);
  assert.equal((await find(new Client(t.app), 'SB00860')).statusCode, 401);
});
