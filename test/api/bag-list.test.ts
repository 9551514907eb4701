/** GET /api/bags: filters, keyset cursors (1,000 bags in pages of 50), area scoping, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { fill, scanParent } from '../helpers/scans.js';
import { errorCode, insertChildren } from '../helpers/lookups.js';

const t = useTestApp({ perFile: true, setup });
let lucknow: Client;
let indore: Client;
let biller: Client;
let admin: Client;

type Bag = {
  code: string;
  type: string;
  area: string;
  status: string;
  parentCode: string | null;
  billId: string | null;
  createdAt: string;
};
const list = async (c: Client, query: string): Promise<{ items: Bag[]; nextCursor: string | null }> => {
  const res = await c.get(`/api/bags?${query}`);
  assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
  return res.json();
};
const codes = async (c: Client, query: string) => (await list(c, `${query}&limit=200`)).items.map((b) => b.code).sort();

/** The data the whole file reads, once the app is built. */
async function setup() {
  lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  biller = await loginAs(t.app, 'biller');
  admin = await loginAs(t.app, 'admin');
  await insertChildren(t.app, 1000, { prefix: 'K', area: 'jaipur', at: new Date('2026-01-01T00:00:00Z') });
  await scanParent(lucknow, 'SB00001');
  await fill(lucknow, 'SB00001', 3, 'L');
  await scanParent(indore, 'SB00002');
  await fill(indore, 'SB00002', 2, 'I');
  await scanParent(biller, 'M444-00001', { area: 'lucknow' });
  assert.equal((await biller.post('/api/bills', { billId: 'BILL-LIST-1', capacity: 3 })).statusCode, 201);
  assert.equal((await biller.post('/api/bills/BILL-LIST-1/parents', { code: 'SB00001' })).statusCode, 200);
}

test('walks 1,000 bags created in one statement in pages of 50: none missing, none repeated', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await list(admin, `area=jaipur&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.ok(page.items.length <= 50);
    seen.push(...page.items.map((b) => b.code));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  assert.equal(pages, 20);
  assert.equal(seen.length, 1000);
  assert.equal(new Set(seen).size, 1000);
  assert.deepEqual(
    [...seen].sort(),
    Array.from({ length: 1000 }, (_, i) => `K${String(i + 1).padStart(6, '0')}`),
  );
});

test('newest first across all bags; the default page is 50 and the last page has no cursor', async () => {
  const first = await list(admin, '');
  assert.equal(first.items.length, 50);
  assert.equal(first.items[0]!.code, 'M444-00001');
  const times = first.items.map((b) => Date.parse(b.createdAt));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
  );
  const all: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(admin, `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.items.map((b) => b.code));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(all.length, 1000 + 3 + 2 + 2 + 1, 'K…, 3 parents, L1–3, I1–2');
  assert.equal(new Set(all).size, all.length);
});

test('filters: type, area, status, linked, billed, scanned by, dates, code text', async () => {
  assert.deepEqual(await codes(admin, 'type=parent'), ['M444-00001', 'SB00001', 'SB00002']);
  assert.deepEqual(await codes(admin, 'type=child&area=indore'), ['I0000001', 'I0000002']);
  assert.deepEqual(await codes(admin, 'area=lucknow&type=parent&status=pending'), ['M444-00001', 'SB00001']);
  assert.deepEqual(await codes(admin, 'linked=true&type=parent'), ['SB00001', 'SB00002']);
  assert.deepEqual(await codes(admin, 'linked=false&type=parent'), ['M444-00001']);
  assert.equal((await codes(admin, 'linked=true')).length, 2 + 5);
  assert.deepEqual(await codes(admin, 'billed=true'), ['L0000001', 'L0000002', 'L0000003', 'SB00001'], 'the parent and its children');
  assert.deepEqual(await codes(admin, 'billed=false&area=lucknow'), ['M444-00001']);
  assert.deepEqual(await codes(admin, 'billed=true&type=parent'), ['SB00001']);
  assert.deepEqual(await codes(admin, 'billed=true&type=child'), ['L0000001', 'L0000002', 'L0000003']);
  assert.deepEqual(await codes(admin, 'billed=false&type=parent'), ['M444-00001', 'SB00002']);
  assert.deepEqual(await codes(admin, `user=${biller.user!.username}`), ['M444-00001']);
  assert.deepEqual(await codes(admin, `user=${lucknow.user!.id}&type=parent`), ['SB00001']);
  assert.deepEqual(await codes(admin, 'user=nobody_by_that_name'), []);
  assert.equal((await codes(admin, 'to=2026-01-02T00:00:00Z')).length, 200, 'old ones (first page)');
  assert.deepEqual(await codes(admin, 'from=2026-01-02T00:00:00Z&type=child&area=lucknow'), ['L0000001', 'L0000002', 'L0000003']);
  assert.deepEqual(await codes(admin, 'from=2025-12-31T00:00:00Z&to=2026-01-01T00:00:00Z'), []);
  assert.deepEqual(await codes(admin, 'q=sb0000'), ['SB00001', 'SB00002']);
  assert.deepEqual(await codes(admin, 'q=00099'), [
    'K000099',
    'K000990',
    'K000991',
    'K000992',
    'K000993',
    'K000994',
    'K000995',
    'K000996',
    'K000997',
    'K000998',
    'K000999',
  ]);
  assert.deepEqual(await codes(admin, 'q=%25'), [], 'a literal %');
});

test('dispatchers list their own area only, silently, whatever area they ask for', async () => {
  assert.deepEqual(await codes(indore, ''), ['I0000001', 'I0000002', 'SB00002']);
  assert.deepEqual(await codes(indore, 'area=lucknow'), ['I0000001', 'I0000002', 'SB00002']);
  assert.deepEqual(await codes(indore, 'area=jaipur&type=parent'), ['SB00002']);
  assert.deepEqual(await codes(lucknow, 'type=parent'), ['M444-00001', 'SB00001']);
  assert.equal((await list(biller, 'area=jaipur&limit=10')).items.length, 10);
});

test('bad input: limits, cursors, types, dates, unknown fields', async () => {
  for (const q of [
    'limit=0',
    'limit=201',
    'limit=x',
    'type=box',
    'status=lost',
    'linked=maybe',
    'area=Not%20An%20Id',
    'from=yesterday',
    'cursor=',
    'cursor=%25%25',
    'colour=red',
    `q=${'A'.repeat(5000)}`,
  ]) {
    const res = await admin.get(`/api/bags?${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.equal(errorCode(res), 'validation_failed', q);
  }
  for (const cursor of ['bm90LWpzb24', Buffer.from('[1]').toString('base64url'), Buffer.from('["a","b"]').toString('base64url')]) {
    const res = await admin.get(`/api/bags?cursor=${cursor}`);
    assert.equal(res.statusCode, 400, cursor);
    assert.equal(errorCode(res), 'validation_failed');
  }
  const backwards = await admin.get('/api/bags?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
  assert.equal(errorCode(backwards), 'validation_failed');
  assert.equal(errorCode(await admin.get(`/api/bags?q=${'A'.repeat(300)}`)), 'invalid_format');
});

test('every role may list; anonymous may not', async () => {
  for (const c of [admin, biller, lucknow]) assert.equal((await c.get('/api/bags?limit=1')).statusCode, 200);
  assert.equal((await new Client(t.app).get('/api/bags')).statusCode, 401);
});
