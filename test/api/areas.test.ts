/** Area administration: rename, deactivate, delete only when unused; one audit row each; admins only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { makeUser } from '../helpers/factories.js';

const t = useTestApp();

test('rename keeps the id; the new name shows everywhere; duplicates refused', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.patch('/api/areas/hisar', { name: '  Hisar   North ' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json().area, { id: 'hisar', name: 'Hisar North', active: true });
  const list = (await admin.get('/api/areas')).json().items;
  assert.ok(list.some((a: { id: string; name: string }) => a.id === 'hisar' && a.name === 'Hisar North'));
  const dup = await admin.patch('/api/areas/hisar', { name: 'JAIPUR' });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().error.code, 'duplicate_area');
  assert.equal((await admin.patch('/api/areas/hisar', { name: '--' })).statusCode, 400);
  assert.equal((await admin.patch('/api/areas/nowhere', { name: 'Nowhere' })).statusCode, 404);
  assert.equal((await admin.patch('/api/areas/hisar', {})).statusCode, 400);
});

test('a deactivated area leaves the list and cannot be given to new dispatchers; reactivating brings it back', async () => {
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await admin.patch('/api/areas/akola', { active: false })).statusCode, 200);
  const ids = (await admin.get('/api/areas')).json().items.map((a: { id: string }) => a.id);
  assert.ok(!ids.includes('akola'));
  const create = await admin.post('/api/users', {
    username: 'akola_crew',
    password: 'mustard-sacks-42',
    role: 'dispatcher',
    area: 'akola',
  });
  assert.equal(create.statusCode, 400);
  assert.equal((await admin.patch('/api/areas/akola', { active: true })).statusCode, 200);
  assert.equal(
    (await admin.post('/api/users', { username: 'akola_crew', password: 'mustard-sacks-42', role: 'dispatcher', area: 'akola' }))
      .statusCode,
    201,
  );
});

test('delete: an unused area goes; one with users is refused with 409 area_in_use', async () => {
  const admin = await loginAs(t.app, 'admin');
  await admin.post('/api/areas', { name: 'Kota' });
  assert.equal((await admin.delete('/api/areas/kota')).statusCode, 204);
  assert.ok(!(await admin.get('/api/areas')).json().items.some((a: { id: string }) => a.id === 'kota'));
  await makeUser(t.app, { role: 'dispatcher', areaId: 'raipur' });
  const used = await admin.delete('/api/areas/raipur');
  assert.equal(used.statusCode, 409);
  assert.equal(used.json().error.code, 'area_in_use');
  assert.equal((await admin.delete('/api/areas/kota')).statusCode, 404);
});

test('delete is refused while a bag belongs to the area', async () => {
  const admin = await loginAs(t.app, 'admin');
  await admin.post('/api/areas', { name: 'Kota' });
  await t.app.ctx.db
    .insertInto('bags')
    .values({ code: 'SB99999', type: 'parent', kind_id: 'SB', area_id: 'kota', status: 'pending', capacity: 30 })
    .execute();
  const res = await admin.delete('/api/areas/kota');
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().error.code, 'area_in_use');
});

test('billers, dispatchers and anonymous visitors cannot change areas', async () => {
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await c.patch('/api/areas/hisar', { name: 'Mine' })).statusCode, 403);
    assert.equal((await c.delete('/api/areas/hisar')).statusCode, 403);
  }
  assert.equal((await new Client(t.app).patch('/api/areas/hisar', { name: 'Mine' })).statusCode, 401);
});
