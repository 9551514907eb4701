import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, events, fill, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

const undo = (c: Client, parentCode: string, code?: string) =>
  c.post('/api/scans/undo', code === undefined ? { parentCode } : { parentCode, code });
const errorCode = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

/** Moves the clock in steps shorter than the 30-minute session idle limit, keeping the clients logged in. */
async function passMinutes(minutes: number, ...clients: Client[]) {
  for (let left = minutes; left > 0; left -= 20) {
    t.clock.advanceMinutes(Math.min(20, left));
    for (const c of clients) await c.get('/api/auth/session');
  }
}

test('undo removes the last link; the child stays unlinked, can go into another parent, history keeps both', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 3);
  const res = await undo(d, 'SB00001');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().removed.code, childCode(3));
  assert.deepEqual([res.json().removed.status, res.json().removed.parentCode], ['unlinked', null]);
  assert.equal(res.json().parent.childCount, 2);
  assert.equal((await undo(d, 'SB00001')).json().removed.code, childCode(2), 'then the one before');

  await scanParent(d, 'SB00002');
  const moved = await scanChild(d, 'SB00002', childCode(3));
  assert.equal(moved.json().outcome, 'linked');
  assert.equal(moved.json().child.parentCode, 'SB00002');
  const history = (await events(t.app, childCode(3))).map((e) => `${e.action}:${e.outcome}:${e.related}`);
  assert.deepEqual(history, ['scan.child:linked:SB00001', 'scan.undo:unlinked:SB00001', 'scan.child:linked:SB00002']);
});

test('a completed parent that drops below capacity goes back to pending', async () => {
  const b = await loginAs(t.app, 'biller');
  await scanParent(b, 'M444-00001');
  await fill(b, 'M444-00001', 15);
  assert.equal((await scanParent(b, 'M444-00001')).json().bag.status, 'completed');
  const res = await undo(b, 'M444-00001');
  assert.deepEqual([res.json().parent.status, res.json().parent.childCount], ['pending', 14]);
  assert.equal((await scanChild(b, 'M444-00001', childCode(99))).json().parent.status, 'completed');
});

test('dispatchers undo only their own links, within 60 minutes; nothing_to_undo otherwise', async () => {
  const mine = await loginAs(t.app, 'dispatcher');
  const colleague = await loginAs(t.app, 'dispatcher');
  await scanParent(mine, 'SB00001');
  assert.equal(errorCode(await undo(mine, 'SB00001')), 'nothing_to_undo', 'empty parent');
  await scanChild(mine, 'SB00001', childCode(1));
  await scanChild(colleague, 'SB00001', childCode(2));
  const own = await undo(mine, 'SB00001');
  assert.equal(own.json().removed.code, childCode(1), 'my last link, not the colleague’s newer one');
  const none = await undo(mine, 'SB00001');
  assert.equal(none.statusCode, 409);
  assert.equal(errorCode(none), 'nothing_to_undo');

  await scanChild(mine, 'SB00001', childCode(3));
  await passMinutes(59, mine, colleague);
  assert.equal((await undo(mine, 'SB00001')).statusCode, 200, 'at 59 minutes');
  await scanChild(mine, 'SB00001', childCode(4));
  await passMinutes(61, mine, colleague);
  assert.equal(errorCode(await undo(mine, 'SB00001')), 'nothing_to_undo', 'at 61 minutes');
  assert.equal(errorCode(await undo(colleague, 'SB00001')), 'nothing_to_undo', 'an hour-old link of the colleague');
});

test('admins and billers undo anyone’s last link, however old', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  for (const role of ['biller', 'admin'] as const) {
    const c = await loginAs(t.app, role);
    await passMinutes(120, d, c);
    assert.equal((await undo(c, 'SB00001')).statusCode, 200, role);
  }
  assert.equal((await scanParent(d, 'SB00001')).json().bag.childCount, 0);
});

test('named unlink: billers and admins may, dispatchers may not; the child must be in that parent', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await scanParent(d, 'SB00002');
  await fill(d, 'SB00001', 3);
  await scanChild(d, 'SB00002', childCode(9));
  const denied = await undo(d, 'SB00001', childCode(1));
  assert.equal(denied.statusCode, 403);
  assert.equal(errorCode(denied), 'forbidden');
  const biller = await loginAs(t.app, 'biller');
  const named = await undo(biller, 'sb00001', childCode(1).toLowerCase());
  assert.equal(named.statusCode, 200);
  assert.equal(named.json().removed.code, childCode(1));
  assert.equal(named.json().parent.childCount, 2);
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await undo(admin, 'SB00001', childCode(2))).statusCode, 200);
  assert.equal(errorCode(await undo(admin, 'SB00001', childCode(9))), 'nothing_to_undo', 'in another parent');
  assert.equal(errorCode(await undo(admin, 'SB00001', childCode(1))), 'nothing_to_undo', 'already unlinked');
  assert.equal(errorCode(await undo(admin, 'SB00001', 'NOSUCH01')), 'bag_not_found');
  assert.equal(errorCode(await undo(admin, 'SB00404')), 'parent_not_found');
  assert.equal(errorCode(await undo(admin, childCode(9))), 'wrong_bag_type');
  const outcomes = (await events(t.app)).filter((e) => e.action === 'scan.unlink').map((e) => e.outcome);
  assert.deepEqual(outcomes, ['forbidden', 'unlinked', 'unlinked', 'nothing_to_undo', 'nothing_to_undo', 'bag_not_found']);
});

test('undo in another area is wrong_area for a dispatcher; bad input is a 400; anonymous is a 401', async () => {
  const lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  const indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  await scanParent(lucknow, 'SB00001');
  await fill(lucknow, 'SB00001', 1);
  const res = await undo(indore, 'SB00001');
  assert.equal(res.statusCode, 403);
  assert.equal(errorCode(res), 'wrong_area');
  assert.equal((await lucknow.post('/api/scans/undo', {})).statusCode, 400);
  assert.equal((await lucknow.post('/api/scans/undo', { parentCode: 'SB00001', code: 5, x: 1 })).statusCode, 400);
  assert.equal((await undo(new Client(t.app), 'SB00001')).statusCode, 401);
  assert.equal((await scanParent(lucknow, 'SB00001')).json().bag.childCount, 1);
});
