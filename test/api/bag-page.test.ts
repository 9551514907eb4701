/** GET /api/bags/{code}: parent or children (paged), bill, full timeline incl. refused scans; scoping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';
import { errorCode } from '../helpers/lookups.js';

const t = useTestApp({ perFile: true, setup });
let lucknow: Client;
let indore: Client;
let biller: Client;
let admin: Client;

type Event = {
  action: string;
  outcome: string;
  actor: string | null;
  subject: string | null;
  related: string | null;
  station: string | null;
  ip: string | null;
  at: string;
};
const page = async (c: Client, code: string, query = '') => {
  const res = await c.get(`/api/bags/${encodeURIComponent(code)}${query}`);
  assert.equal(res.statusCode, 200, `${code}${query}: ${res.body}`);
  return res.json();
};
const station = { 'x-station-id': 'st-dock-3' };

/** The data the whole file reads, once the app is built. */
async function setup() {
  lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  biller = await loginAs(t.app, 'biller');
  admin = await loginAs(t.app, 'admin');
  // SB00001: 30 children, full; refusals on the record; then on a bill.
  assert.equal((await scanParent(lucknow, 'SB00001', {})).statusCode, 200);
  await fill(lucknow, 'SB00001', 30);
  assert.equal(errorCode(await lucknow.post('/api/scans/child', { parentCode: 'SB00001', code: 'C0000099' }, station)), 'parent_completed');
  assert.equal(errorCode(await scanChild(indore, 'SB00001', 'C0000098')), 'wrong_area');
  await scanParent(lucknow, 'SB00002');
  assert.equal(
    errorCode(await lucknow.post('/api/scans/child', { parentCode: 'SB00002', code: 'C0000001' }, station)),
    'already_linked_other_parent',
  );
  assert.equal((await scanChild(lucknow, 'SB00002', 'C0000100')).statusCode, 200);
  assert.equal((await lucknow.post('/api/scans/undo', { parentCode: 'SB00002' })).statusCode, 200);
  assert.equal((await biller.post('/api/bills', { billId: 'BILL-PAGE-1', capacity: 1 })).statusCode, 201);
  assert.equal((await biller.post('/api/bills/BILL-PAGE-1/parents', { code: 'SB00001' })).statusCode, 200);
}

test('a parent: header, all children in scan order over keyset pages, its bill, no parent', async () => {
  const first = await page(biller, 'sb00001', '?limit=7');
  assert.deepEqual(Object.keys(first).sort(), ['bag', 'bill', 'children', 'childrenNextCursor', 'history', 'historyNextCursor', 'parent']);
  assert.equal(first.bag.code, 'SB00001');
  assert.equal(first.bag.status, 'completed');
  assert.equal(first.bag.childCount, 30);
  assert.equal(first.bag.billId, 'BILL-PAGE-1');
  assert.equal(first.parent, null);
  assert.equal(first.bill.billId, 'BILL-PAGE-1');
  assert.equal(first.bill.parentCount, 1);
  const children: string[] = first.children.map((c: { code: string }) => c.code);
  let cursor = first.childrenNextCursor;
  while (cursor) {
    const next = await page(biller, 'SB00001', `?limit=7&childrenCursor=${encodeURIComponent(cursor)}`);
    children.push(...next.children.map((c: { code: string }) => c.code));
    cursor = next.childrenNextCursor;
  }
  assert.deepEqual(
    children,
    Array.from({ length: 30 }, (_, i) => `C${String(i + 1).padStart(7, '0')}`),
  );
  assert.ok(first.children.every((c: { linkedAt: string | null; parentCode: string }) => c.linkedAt && c.parentCode === 'SB00001'));
});

test('a child: its parent and the parent’s bill; dispatchers see the bill id but not the bill', async () => {
  const asBiller = await page(biller, 'C0000005');
  assert.equal(asBiller.parent.code, 'SB00001');
  assert.deepEqual(asBiller.children, []);
  assert.equal(asBiller.childrenNextCursor, null);
  assert.equal(asBiller.bill.billId, 'BILL-PAGE-1');
  const asDispatcher = await page(lucknow, 'C0000005');
  assert.equal(asDispatcher.bill, null);
  assert.equal(asDispatcher.parent.billId, 'BILL-PAGE-1');
});

test('the timeline: every attempt about the bag, refused ones too, with who, when, where and outcome', async () => {
  const p = await page(admin, 'SB00001', '?limit=200');
  const history: Event[] = p.history;
  const times = history.map((e) => Date.parse(e.at));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
    'newest first',
  );
  const seen = history.map((e) => `${e.action}:${e.outcome}`);
  assert.equal(seen.at(-1), 'scan.parent:created');
  assert.equal(seen.filter((s) => s === 'scan.child:linked').length, 30);
  for (const s of ['scan.child:parent_completed', 'scan.child:wrong_area', 'bill.link:linked']) assert.ok(seen.includes(s), s);
  const refused = history.find((e) => e.outcome === 'parent_completed')!;
  assert.equal(refused.actor, lucknow.user!.username);
  assert.equal(refused.station, 'st-dock-3');
  assert.equal(refused.ip, '127.0.0.1');
  assert.equal(refused.subject, 'C0000099');
  assert.equal(history.find((e) => e.outcome === 'wrong_area')!.actor, indore.user!.username);

  const child = (await page(admin, 'C0000001')).history.map((e: Event) => `${e.action}:${e.outcome}`);
  assert.deepEqual(child, ['scan.child:already_linked_other_parent', 'scan.child:linked']);
  const undone = (await page(admin, 'C0000100')).history.map((e: Event) => `${e.action}:${e.outcome}`);
  assert.deepEqual(undone, ['scan.undo:unlinked', 'scan.child:linked'], 'link and unlink both stay');
  assert.equal((await page(admin, 'C0000100')).bag.status, 'unlinked');
});

test('the timeline pages by cursor without repeats', async () => {
  const all = (await page(admin, 'SB00001', '?limit=200')).history.map((e: Event & { id: string }) => e.id);
  const walked: string[] = [];
  let cursor: string | null = null;
  do {
    const p = await page(admin, 'SB00001', `?limit=4${cursor ? `&historyCursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.ok(p.history.length <= 4);
    walked.push(...p.history.map((e: { id: string }) => e.id));
    cursor = p.historyNextCursor;
  } while (cursor);
  assert.deepEqual(walked, all);
});

test('another area’s bag is not there for a dispatcher: 404, like a bag that does not exist', async () => {
  for (const code of ['SB00001', 'C0000001']) {
    const res = await indore.get(`/api/bags/${code}`);
    assert.equal(res.statusCode, 404);
    assert.equal(errorCode(res), 'bag_not_found');
  }
  assert.equal(errorCode(await indore.get('/api/bags/SB09999')), 'bag_not_found');
  assert.equal((await lucknow.get('/api/bags/SB00001')).statusCode, 200);
});

test('odd codes: legacy codes with spaces, lower case, unicode junk, too long, bad cursors', async () => {
  await insertLegacyBag(t.app, { code: 'PAWAN GODARA 09', type: 'child' });
  assert.equal((await page(admin, 'pawan godara 09')).bag.code, 'PAWAN GODARA 09');
  for (const code of ['%E2%80%8B', 'x'.repeat(256), "'%3B drop table bags"]) {
    assert.equal(errorCode(await admin.get(`/api/bags/${code}`)), 'bag_not_found', code);
  }
  assert.equal((await admin.get(`/api/bags/${'x'.repeat(301)}`)).statusCode, 414, 'the router refuses an over-long path');
  for (const q of ['childrenCursor=nope', 'historyCursor=%5B%5D', 'limit=0', 'limit=500', 'other=1']) {
    const res = await admin.get(`/api/bags/SB00001?${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.equal(errorCode(res), 'validation_failed', q);
  }
});

test('every role may read a bag; anonymous may not', async () => {
  for (const c of [admin, biller, lucknow]) assert.equal((await c.get('/api/bags/SB00002')).statusCode, 200);
  assert.equal((await new Client(t.app).get('/api/bags/SB00002')).statusCode, 401);
});
