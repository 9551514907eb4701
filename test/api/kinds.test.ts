/**
 * Bag kinds edited by admins: validation (anchored, valid in JavaScript and PostgreSQL, ranges),
 * one audit row per edit, and the new rule applies from the very next scan.
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { KindsCache } from '../../src/domain/kinds/kinds-cache.js';

const t = useTestApp();
// reset() empties data tables only: put the kinds back as migration 0002 seeds them, and make the
// app's kinds cache read them again (an edit by SQL is an edit by another process).
beforeEach(async () => {
  await sql`update bag_kinds set name = 'Mustard', pattern = '^SB\\d{5}$', capacity = 30, expected_weight_kg = 30, active = true where id = 'SB'`.execute(
    t.database.db,
  );
  await sql`update bag_kinds set name = 'Moong', pattern = '^M444-\\d{5}$', capacity = 15, expected_weight_kg = 15, active = true where id = 'M444'`.execute(
    t.database.db,
  );
  await sql`update bag_kinds set name = 'Child', pattern = '^[A-Z0-9]{4,20}$', capacity = null, expected_weight_kg = 1, active = true where id = 'CHILD'`.execute(
    t.database.db,
  );
  t.app.ctx.kinds.forget();
});

test('kinds edited by another process reach the scan rules within the freshness window', async () => {
  let now = 0;
  const cache = new KindsCache(200, () => now);
  const capacityOf = async (id: string) => (await cache.list(t.database.db)).find((k) => k.id === id)?.capacity;
  assert.equal(await capacityOf('SB'), 30);
  await sql`update bag_kinds set capacity = 12 where id = 'SB'`.execute(t.database.db);
  assert.equal(await capacityOf('SB'), 30, 'within the window the cached kinds are used: no query per scan');
  now = 199;
  assert.equal(await capacityOf('SB'), 30, 'still within the window');
  now = 200;
  assert.equal(await capacityOf('SB'), 12, 'after it, the edit is read');
  await sql`update bag_kinds set capacity = 13 where id = 'SB'`.execute(t.database.db);
  cache.forget();
  assert.equal(await capacityOf('SB'), 13, 'forget() reads again at once');
});

test('admins list and edit kinds; others are refused', async () => {
  const admin = await loginAs(t.app, 'admin');
  const list = (await admin.get('/api/settings/bag-kinds')).json().items;
  assert.deepEqual(
    list.map((k: { id: string }) => k.id),
    ['SB', 'M444', 'CHILD'],
  );
  assert.deepEqual(list[0], {
    id: 'SB',
    name: 'Mustard',
    type: 'parent',
    pattern: '^SB\\d{5}$',
    capacity: 30,
    expectedWeightKg: 30,
    active: true,
  });
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await c.get('/api/settings/bag-kinds')).statusCode, 403);
    assert.equal((await c.patch('/api/settings/bag-kinds/SB', { capacity: 2 })).statusCode, 403);
  }
});

test('validation: anchored, valid in JavaScript and PostgreSQL, capacity and weight 1–1000', async () => {
  const admin = await loginAs(t.app, 'admin');
  const refused = async (body: object, why: RegExp) => {
    const res = await admin.patch('/api/settings/bag-kinds/SB', body);
    assert.equal(res.statusCode, 400, JSON.stringify(body));
    assert.equal(res.json().error.code, 'validation_failed');
    assert.match(res.json().error.message, why);
  };
  await refused({ pattern: 'SB\\d{5}' }, /anchored/);
  await refused({ pattern: '^SB\\d{5}' }, /anchored/);
  await refused({ pattern: '^SB(\\d{5}$' }, /not a valid regular expression/);
  await refused({ pattern: '^(?<n>SB)\\d{5}$' }, /PostgreSQL/); // named groups: JavaScript only
  await refused({ capacity: 0 }, /1–1000/);
  await refused({ capacity: 1001 }, /1–1000/);
  await refused({ expectedWeightKg: 0 }, /1–1000 kg/);
  await refused({ expectedWeightKg: 5000 }, /1–1000 kg/);
  const child = await admin.patch('/api/settings/bag-kinds/CHILD', { capacity: 5 });
  assert.equal(child.json().error.code, 'validation_failed');
  assert.equal((await admin.patch('/api/settings/bag-kinds/NOPE', { capacity: 5 })).statusCode, 404);
  assert.equal((await admin.patch('/api/settings/bag-kinds/SB', {})).statusCode, 400);
  const kept = (await admin.get('/api/settings/bag-kinds')).json().items[0];
  assert.equal(kept.pattern, '^SB\\d{5}$', 'refused edits change nothing');
  assert.equal((await t.app.ctx.db.selectFrom('events').selectAll().where('action', '=', 'bag_kind.update').execute()).length, 0);
});

test('a capacity edit takes effect on the next scan; the parent completes at the new capacity', async () => {
  const admin = await loginAs(t.app, 'admin');
  const crew = await loginAs(t.app, 'dispatcher');
  const old = await crew.post('/api/scans/parent', { code: 'SB00001' });
  assert.equal(old.json().bag.capacity, 30);
  const edit = await admin.patch('/api/settings/bag-kinds/SB', { capacity: 2, expectedWeightKg: 2 });
  assert.equal(edit.statusCode, 200);
  assert.equal(edit.json().kind.capacity, 2);
  const rows = await t.app.ctx.db.selectFrom('events').selectAll().where('action', '=', 'bag_kind.update').execute();
  assert.equal(rows.length, 1);
  assert.equal(String(rows[0]!.actor_id), admin.user!.id);
  assert.deepEqual((rows[0]!.details as { before: { capacity: number } }).before.capacity, 30);

  const fresh = await crew.post('/api/scans/parent', { code: 'SB00002' });
  assert.equal(fresh.statusCode, 200);
  assert.equal(fresh.json().bag.capacity, 2, 'the next new parent gets the new capacity');
  await crew.post('/api/scans/child', { parentCode: 'SB00002', code: 'C1000001' });
  const second = await crew.post('/api/scans/child', { parentCode: 'SB00002', code: 'C1000002' });
  assert.equal(second.json().parent.status, 'completed');
  const third = await crew.post('/api/scans/child', { parentCode: 'SB00002', code: 'C1000003' });
  assert.equal(third.statusCode, 409);
  const resumed = await crew.post('/api/scans/parent', { code: 'SB00001' });
  assert.equal(resumed.json().outcome, 'resumed');
  assert.equal(resumed.json().bag.capacity, 30, 'existing bags keep theirs');
});

test('a pattern edit takes effect on the next scan', async () => {
  const admin = await loginAs(t.app, 'admin');
  const crew = await loginAs(t.app, 'dispatcher');
  assert.equal((await admin.patch('/api/settings/bag-kinds/M444', { pattern: '^M444-\\d{6}$' })).statusCode, 200);
  const five = await crew.post('/api/scans/parent', { code: 'M444-00030' });
  assert.equal(five.statusCode, 400);
  assert.equal(five.json().error.code, 'invalid_format');
  const six = await crew.post('/api/scans/parent', { code: 'm444-000031' });
  assert.equal(six.statusCode, 200);
  assert.equal(six.json().outcome, 'created');
  assert.equal(six.json().bag.kind, 'M444');
  // Deactivating a kind: its codes are no longer created.
  assert.equal((await admin.patch('/api/settings/bag-kinds/M444', { active: false })).statusCode, 200);
  assert.equal((await crew.post('/api/scans/parent', { code: 'M444-000032' })).json().error.code, 'invalid_format');
});

test('settings page: kinds edited by form (303), refusals shown on the page', async () => {
  const admin = await loginAs(t.app, 'admin');
  const page = await admin.get('/admin/settings');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="kind-SB"/);
  assert.match(page.body, /value="\^SB\\d\{5\}\$"/);
  admin.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const ok = await admin.form('/admin/settings/kinds/SB', {
    name: 'Mustard',
    pattern: '^SB\\d{6}$',
    capacity: '25',
    expectedWeightKg: '25',
    active: 'true',
  });
  assert.equal(ok.statusCode, 303);
  assert.equal((await admin.get('/api/settings/bag-kinds')).json().items[0].capacity, 25);
  const bad = await admin.form('/admin/settings/kinds/SB', {
    name: 'Mustard',
    pattern: 'SB.*',
    capacity: '25',
    expectedWeightKg: '25',
    active: 'true',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /anchored/);
});
