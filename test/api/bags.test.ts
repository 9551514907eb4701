import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, countRows, events, fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

const complete = (c: Client, code: string) => c.post(`/api/bags/${encodeURIComponent(code)}/complete`);
const reopen = (c: Client, code: string) => c.post(`/api/bags/${encodeURIComponent(code)}/reopen`);
const remove = (c: Client, code: string) => c.delete(`/api/bags/${encodeURIComponent(code)}`);
const errorCode = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

test('any role completes a parent short (27/30); it then takes no more children; completing again changes nothing', async () => {
  const parents = { dispatcher: 'SB00001', biller: 'SB00002', admin: 'SB00003' } as const;
  for (const role of ['dispatcher', 'biller', 'admin'] as const) {
    const c = await loginAs(t.app, role);
    const parent = parents[role];
    await scanParent(c, parent);
    await fill(c, parent, role === 'dispatcher' ? 27 : 1, role[0]!.toUpperCase());
    const res = await complete(c, parent.toLowerCase());
    assert.equal(res.statusCode, 200, role);
    assert.equal(res.json().bag.status, 'completed');
    if (role === 'dispatcher') {
      assert.deepEqual([res.json().bag.childCount, res.json().bag.capacity], [27, 30]);
      assert.equal(errorCode(await scanChild(c, parent, childCode(28, 'D'))), 'parent_completed');
      assert.equal((await complete(c, parent)).json().bag.status, 'completed');
    }
  }
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00009');
  assert.equal(errorCode(await complete(d, 'SB00009')), 'validation_failed', 'an empty parent');
  assert.equal(errorCode(await complete(d, childCode(1, 'D'))), 'wrong_bag_type');
  assert.equal(errorCode(await complete(d, 'SB00404')), 'bag_not_found');
  const other = await loginAs(t.app, 'dispatcher', { areaId: 'raipur' });
  assert.equal(errorCode(await complete(other, 'SB00009')), 'wrong_area');
  assert.equal((await complete(new Client(t.app), 'SB00009')).statusCode, 401);
  const outcomes = (await events(t.app, 'SB00002')).filter((e) => e.action === 'bag.complete').map((e) => e.outcome);
  assert.deepEqual(outcomes, ['completed']);
});

test('reopen: admins and billers only; the parent takes children again', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  await complete(d, 'SB00001');
  const denied = await reopen(d, 'SB00001');
  assert.equal(denied.statusCode, 403);
  assert.equal(errorCode(denied), 'forbidden');
  for (const role of ['biller', 'admin'] as const) {
    const c = await loginAs(t.app, role);
    const res = await reopen(c, 'SB00001');
    assert.equal(res.statusCode, 200, role);
    assert.equal(res.json().bag.status, 'pending');
    await complete(c, 'SB00001');
  }
  const biller = await loginAs(t.app, 'biller');
  await reopen(biller, 'SB00001');
  assert.equal((await scanChild(d, 'SB00001', childCode(3))).json().parent.childCount, 3);
  assert.equal((await reopen(biller, 'SB00001')).json().bag.status, 'pending', 'reopening a pending parent changes nothing');
  assert.equal(errorCode(await reopen(biller, childCode(3))), 'wrong_bag_type');
  assert.equal(errorCode(await reopen(biller, 'SB00404')), 'bag_not_found');
});

test('delete: admins only, a bag with no links; history stays readable; bag_in_use otherwise', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  const admin = await loginAs(t.app, 'admin');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  await scanParent(d, 'SB00002');
  for (const role of ['dispatcher', 'biller'] as const) {
    const res = await remove(await loginAs(t.app, role), 'SB00002');
    assert.equal(res.statusCode, 403, role);
    assert.equal(errorCode(res), 'forbidden');
  }
  const parentInUse = await remove(admin, 'SB00001');
  assert.equal(parentInUse.statusCode, 409);
  assert.equal(errorCode(parentInUse), 'bag_in_use');
  const childInUse = await remove(admin, childCode(1));
  assert.equal(errorCode(childInUse), 'bag_in_use');
  assert.equal(childInUse.json().error.parentCode, 'SB00001');

  const gone = await remove(admin, 'sb00002');
  assert.equal(gone.statusCode, 204);
  assert.equal(gone.body, '');
  assert.equal(errorCode(await remove(admin, 'SB00002')), 'bag_not_found');
  const history = await events(t.app, 'SB00002');
  assert.deepEqual(
    history.map((e) => `${e.action}:${e.outcome}`),
    ['scan.parent:created', 'bag.delete:deleted', 'bag.delete:bag_not_found'],
  );
  const snapshot = history[1]!.details!.snapshot as Record<string, unknown>;
  assert.deepEqual([snapshot.code, snapshot.type, snapshot.area], ['SB00002', 'parent', 'lucknow']);
  assert.equal((await scanParent(d, 'SB00002')).json().outcome, 'created', 'the code is free again');

  // An undone child is an unlinked bag and may go.
  await d.post('/api/scans/undo', { parentCode: 'SB00001' });
  assert.equal((await remove(admin, childCode(2))).statusCode, 204);
  assert.equal(await countRows(t.app, 'bags'), 3);
});

test('path codes are URL-decoded and normalised: a legacy code with spaces and lower case', async () => {
  await insertLegacyBag(t.app, { code: 'PAWAN GODARA 09', type: 'parent' });
  await insertLegacyBag(t.app, { code: 'A/B ODD#1', type: 'child' });
  const d = await loginAs(t.app, 'dispatcher');
  await scanChild(d, 'PAWAN GODARA 09', 'C0000001');
  const res = await d.post('/api/bags/pawan%20godara%C2%A009/complete');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().bag.code, 'PAWAN GODARA 09');
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await remove(admin, 'a/b odd#1')).statusCode, 204);
  for (const weird of ['%00', '%E2%80%8B', '%ZZ', 'x'.repeat(400)]) {
    const r = await admin.delete(`/api/bags/${weird}`);
    assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${weird} → ${r.statusCode}`);
  }
});
