/**
 * Supervisor corrections through the API (SPEC §9 last bullet, §3): unlink a named child, move a
 * child to another parent in one transaction, reopen a parent, delete an unlinked bag — each
 * with a reason kept in history. Every role allowed and denied; bad inputs are 4xx.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, events, fill, scanParent } from '../helpers/scans.js';

const t = useTestApp();

const move = (c: Client, code: string, body: unknown) => c.post(`/api/bags/${encodeURIComponent(code)}/move`, body);
const codeOf = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;
const last = async (code: string) => (await events(t.app, code)).at(-1)!;

/** SB00001 with 3 children, SB00002 empty: the usual setting. */
async function twoParents(): Promise<Client> {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 3);
  await scanParent(d, 'SB00002');
  return d;
}

test('move: the child leaves its parent and joins the target in one step, with the reason on record', async () => {
  await twoParents();
  for (const role of ['biller', 'admin'] as const) {
    const c = await loginAs(t.app, role);
    const code = role === 'biller' ? childCode(1) : childCode(2);
    const res = await move(c, code.toLowerCase(), { to: ' sb00002 ', reason: '  wrong sack  ' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual([body.child.code, body.child.parentCode, body.child.status], [code, 'SB00002', 'linked']);
    assert.equal(body.from.code, 'SB00001');
    assert.equal(body.to.code, 'SB00002');
    const e = await last(code);
    assert.deepEqual([e.action, e.outcome, e.subject, e.related], ['bag.move', 'moved', code, 'SB00002']);
    assert.equal(e.details?.reason, 'wrong sack');
    assert.equal(e.details?.from, 'SB00001');
  }
  const b = await loginAs(t.app, 'biller');
  const page = (await b.get('/api/bags/SB00001')).json();
  assert.equal(page.bag.childCount, 1);
  assert.equal((await b.get('/api/bags/SB00002')).json().bag.childCount, 2);
});

test('move: dispatchers are refused (403) and nothing changes', async () => {
  const d = await twoParents();
  const res = await move(d, childCode(1), { to: 'SB00002', reason: 'x' });
  assert.equal(res.statusCode, 403);
  assert.equal(codeOf(res), 'forbidden');
  assert.equal((await d.get(`/api/bags/${childCode(1)}`)).json().bag.parentCode, 'SB00001');
});

test('move: every rule of the target applies — full, completed, bill locked, missing, wrong type, same parent', async () => {
  const d = await twoParents();
  const b = await loginAs(t.app, 'biller');
  await scanParent(d, 'M444-00001');
  await fill(d, 'M444-00001', 15, 'F');
  assert.equal(codeOf(await move(b, childCode(1), { to: 'M444-00001', reason: 'r' })), 'parent_completed');
  await scanParent(d, 'SB00003');
  await fill(d, 'SB00003', 1, 'G');
  await b.post('/api/bags/SB00003/complete');
  const completed = await move(b, childCode(1), { to: 'SB00003', reason: 'r' });
  assert.equal(completed.statusCode, 409);
  assert.equal(codeOf(completed), 'parent_completed');
  assert.equal(codeOf(await move(b, childCode(1), { to: 'SB77777', reason: 'r' })), 'parent_not_found');
  assert.equal(codeOf(await move(b, childCode(1), { to: childCode(2), reason: 'r' })), 'wrong_bag_type');
  assert.equal(codeOf(await move(b, childCode(1), { to: 'SB00001', reason: 'r' })), 'validation_failed');
  assert.equal(codeOf(await move(b, 'SB00001', { to: 'SB00002', reason: 'r' })), 'wrong_bag_type');
  assert.equal(codeOf(await move(b, 'C9999999', { to: 'SB00002', reason: 'r' })), 'bag_not_found');

  // Target on a completed bill: locked.
  await scanParent(d, 'SB00004');
  await fill(d, 'SB00004', 1, 'H');
  await b.post('/api/bills', { billId: 'LOCK-1', capacity: 1 });
  await b.post('/api/bills/LOCK-1/parents', { code: 'SB00004' });
  assert.equal((await b.post('/api/bills/LOCK-1/complete', {})).statusCode, 200);
  assert.equal(codeOf(await move(b, childCode(1), { to: 'SB00004', reason: 'r' })), 'bill_completed');
  // Source on a completed bill: locked too.
  assert.equal(codeOf(await move(b, childCode(1, 'H'), { to: 'SB00001', reason: 'r' })), 'bill_completed');
  assert.equal((await b.get('/api/bags/SB00001')).json().bag.childCount, 3, 'nothing moved');
  const refused = (await events(t.app, childCode(1))).filter((e) => e.action === 'bag.move').map((e) => e.outcome);
  assert.deepEqual(refused, [
    'parent_completed',
    'parent_completed',
    'parent_not_found',
    'wrong_bag_type',
    'validation_failed',
    'bill_completed',
  ]);
});

test('move: a full target is refused; a move that fills the target completes it and counts follow on both bills', async () => {
  const d = await twoParents();
  const b = await loginAs(t.app, 'biller');
  await scanParent(d, 'M444-00002');
  await fill(d, 'M444-00002', 14, 'K');
  await b.post('/api/bills', { billId: 'B-1', capacity: 5 });
  await b.post('/api/bills/B-1/parents', { code: 'SB00001' });
  await b.post('/api/bills/B-1/parents', { code: 'M444-00002' });
  const res = await move(b, childCode(1), { to: 'M444-00002', reason: 'wrong sack' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual([res.json().to.status, res.json().to.childCount], ['completed', 15]);
  assert.deepEqual([res.json().from.status, res.json().from.childCount], ['pending', 2]);
  const bill = (await b.get('/api/bills/B-1')).json().bill;
  assert.equal(bill.childCount, 17, 'the child left one parent of the bill and joined another');
  await b.post('/api/bags/M444-00002/reopen', { reason: 'recount' });
  assert.equal(codeOf(await move(b, childCode(2), { to: 'M444-00002', reason: 'r' })), 'parent_full');
});

test('move: bad inputs are 400, never 5xx', async () => {
  await twoParents();
  const b = await loginAs(t.app, 'biller');
  const bad: unknown[] = [
    {},
    { to: 'SB00002' },
    { to: 'SB00002', reason: '' },
    { to: 'SB00002', reason: '   ' },
    { to: 'SB00002', reason: 'x'.repeat(201) },
    { to: 'SB00002', reason: 'r', extra: 1 },
    ['to'],
    { to: 'x'.repeat(5000), reason: 'r' },
  ];
  for (const body of bad) {
    const res = await move(b, childCode(1), body);
    assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
  }
  assert.equal((await move(b, childCode(1), { to: 'SB00002', reason: 'x'.repeat(200) })).statusCode, 200, '200 characters is fine');
});

test('unlink, reopen and delete take an optional reason that the history keeps; too long is 400', async () => {
  const d = await twoParents();
  const b = await loginAs(t.app, 'biller');
  const a = await loginAs(t.app, 'admin');
  const unlinked = await b.post('/api/scans/undo', { parentCode: 'SB00001', code: childCode(2), reason: 'torn label' });
  assert.equal(unlinked.statusCode, 200);
  assert.deepEqual([(await last(childCode(2))).action, (await last(childCode(2))).details?.reason], ['scan.unlink', 'torn label']);
  assert.equal((await b.post('/api/scans/undo', { parentCode: 'SB00001', code: childCode(1), reason: 'x'.repeat(201) })).statusCode, 400);
  assert.equal(
    (await d.post('/api/scans/undo', { parentCode: 'SB00001', code: childCode(1), reason: 'r' })).statusCode,
    403,
    'dispatcher names a child',
  );

  await b.post('/api/bags/SB00001/complete');
  assert.equal((await d.post('/api/bags/SB00001/reopen', { reason: 'r' })).statusCode, 403);
  const reopened = await b.post('/api/bags/SB00001/reopen', { reason: 'more to come' });
  assert.equal(reopened.json().bag.status, 'pending');
  assert.equal((await last('SB00001')).details?.reason, 'more to come');
  assert.equal((await b.post('/api/bags/SB00001/reopen')).statusCode, 200, 'reason stays optional in the API');

  for (const c of [d, b]) assert.equal((await c.request('DELETE', `/api/bags/${childCode(2)}`, { reason: 'r' })).statusCode, 403);
  assert.equal((await a.request('DELETE', `/api/bags/${childCode(2)}`, { reason: 'x'.repeat(201) })).statusCode, 400);
  assert.equal(codeOf(await a.request('DELETE', `/api/bags/${childCode(1)}`, { reason: 'r' })), 'bag_in_use');
  const deleted = await a.request('DELETE', `/api/bags/${childCode(2)}`, { reason: 'label printed twice' });
  assert.equal(deleted.statusCode, 204);
  const e = await last(childCode(2));
  assert.deepEqual([e.action, e.outcome, e.details?.reason], ['bag.delete', 'deleted', 'label printed twice']);
  assert.equal((await a.delete(`/api/bags/${childCode(3)}`)).statusCode, 409, 'no body still works (in use)');
});
