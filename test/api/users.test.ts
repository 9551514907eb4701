import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

const newUser = (o: Record<string, unknown> = {}) => ({
  username: 'crew_member',
  password: 'mustard-sacks-42',
  role: 'dispatcher',
  area: 'jaipur',
  ...o,
});

test('admin creates users; the answer and the list never contain a hash or password', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.post('/api/users', newUser({ email: 'crew@example.org' }));
  assert.equal(res.statusCode, 201);
  const { user } = res.json();
  assert.equal(user.username, 'crew_member');
  assert.equal(user.role, 'dispatcher');
  assert.equal(user.area, 'jaipur');
  assert.equal(user.email, 'crew@example.org');
  assert.equal(user.active, true);
  const list = await admin.get('/api/users');
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().items.some((u: { username: string }) => u.username === 'crew_member'));
  for (const body of [res.body, list.body]) {
    assert.doesNotMatch(body, /argon2|password|mustard-sacks/i);
  }
  const login = await new Client(t.app).login('crew_member', 'mustard-sacks-42');
  assert.equal(login.statusCode, 200);
});

test('billers and dispatchers cannot list, create or edit users', async () => {
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await c.get('/api/users')).statusCode, 403);
    const created = await c.post('/api/users', newUser({ username: `x_${role}` }));
    assert.equal(created.statusCode, 403);
    assert.equal(created.json().error.code, 'forbidden');
    assert.equal((await c.patch(`/api/users/${c.user!.id}`, { role: 'admin' })).statusCode, 403);
  }
  assert.equal((await new Client(t.app).post('/api/users', newUser())).statusCode, 401);
});

test('duplicate usernames are refused regardless of case', async () => {
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await admin.post('/api/users', newUser())).statusCode, 201);
  const dup = await admin.post('/api/users', newUser({ username: 'CREW_Member' }));
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().error.code, 'duplicate_username');
});

test('password policy: length, username, common passwords — the same on create, reset and change', async () => {
  const admin = await loginAs(t.app, 'admin');
  const weak = ['short-1', 'crew_member-2024', 'password123', '1234567890', 'aaaaaaaaaaaa'];
  for (const password of weak) {
    const res = await admin.post('/api/users', newUser({ password }));
    assert.equal(res.statusCode, 400, password);
    assert.equal(res.json().error.code, 'weak_password', password);
  }
  const target = await makeUser(t.app, { role: 'biller', username: 'biller_weak' });
  const reset = await admin.post(`/api/users/${target.id}/password`, { password: 'qwertyuiop' });
  assert.equal(reset.json().error.code, 'weak_password');
  const self = await loginAs(t.app, 'biller');
  const change = await self.post(`/api/users/${self.user!.id}/password`, { currentPassword: PASSWORD, password: 'iloveyou123' });
  assert.equal(change.json().error.code, 'weak_password');
});

test('a dispatcher needs an existing area; other roles carry none', async () => {
  const admin = await loginAs(t.app, 'admin');
  const missing = await admin.post('/api/users', newUser({ area: undefined }));
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().error.code, 'area_required');
  const unknown = await admin.post('/api/users', newUser({ area: 'atlantis' }));
  assert.equal(unknown.statusCode, 400);
  const biller = await admin.post('/api/users', newUser({ username: 'a_biller', role: 'biller', area: 'jaipur' }));
  assert.equal(biller.statusCode, 201);
  assert.equal(biller.json().user.area, null);
  const id = biller.json().user.id;
  const noArea = await admin.patch(`/api/users/${id}`, { role: 'dispatcher' });
  assert.equal(noArea.json().error.code, 'area_required');
  const ok = await admin.patch(`/api/users/${id}`, { role: 'dispatcher', area: 'hisar' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().user.area, 'hisar');
});

test('the last active admin can be neither demoted nor disabled; nobody changes their own role', async () => {
  const admin = await loginAs(t.app, 'admin');
  const me = admin.user!.id;
  const own = await admin.patch(`/api/users/${me}`, { role: 'biller' });
  assert.equal(own.statusCode, 409);
  assert.equal(own.json().error.code, 'own_role');
  const disableSelf = await admin.patch(`/api/users/${me}`, { active: false });
  assert.equal(disableSelf.statusCode, 409);
  assert.equal(disableSelf.json().error.code, 'last_admin');

  const second = await makeUser(t.app, { role: 'admin' });
  const demote = await admin.patch(`/api/users/${second.id}`, { role: 'biller' });
  assert.equal(demote.statusCode, 200, 'two admins: one may be demoted');
  const demoteLast = await (await loginAs(t.app, 'admin', { username: 'third_admin' })).patch(`/api/users/${me}`, { active: false });
  assert.equal(demoteLast.statusCode, 200, 'with another admin present the first may be disabled');
});

test('disabling a user ends their sessions at once', async () => {
  const admin = await loginAs(t.app, 'admin');
  const worker = await loginAs(t.app, 'dispatcher');
  assert.equal((await worker.get('/api/auth/session')).statusCode, 200);
  assert.equal((await admin.patch(`/api/users/${worker.user!.id}`, { active: false })).statusCode, 200);
  assert.equal((await worker.get('/api/auth/session')).statusCode, 401);
  assert.equal((await admin.patch(`/api/users/${worker.user!.id}`, { active: true })).statusCode, 200);
  assert.equal((await worker.get('/api/auth/session')).statusCode, 401, 'a re-enabled user logs in again');
});

test('a role change applies to the user’s very next request (the session cache forgets them)', async () => {
  const admin = await loginAs(t.app, 'admin');
  const biller = await loginAs(t.app, 'biller');
  assert.equal((await biller.get('/api/users')).statusCode, 403);
  assert.equal((await biller.get('/api/auth/session')).json().user.role, 'biller'); // now remembered
  assert.equal((await admin.patch(`/api/users/${biller.user!.id}`, { role: 'admin' })).statusCode, 200);
  assert.equal((await biller.get('/api/auth/session')).json().user.role, 'admin');
  assert.equal((await biller.get('/api/users')).statusCode, 200, 'the new role is judged at once');
  assert.equal((await admin.patch(`/api/users/${biller.user!.id}`, { role: 'biller' })).statusCode, 200);
  assert.equal((await biller.get('/api/users')).statusCode, 403, 'and the old one again');
});

test('an admin password reset ends the user’s sessions; the new password works', async () => {
  const admin = await loginAs(t.app, 'admin');
  const worker = await loginAs(t.app, 'biller');
  const res = await admin.post(`/api/users/${worker.user!.id}/password`, { password: 'fresh-start-2026!' });
  assert.equal(res.statusCode, 204);
  assert.equal((await worker.get('/api/auth/session')).statusCode, 401);
  assert.equal((await new Client(t.app).login(worker.user!.username, PASSWORD)).statusCode, 401);
  assert.equal((await new Client(t.app).login(worker.user!.username, 'fresh-start-2026!')).statusCode, 200);
});

test('a user changes their own password with the current one and keeps this session only', async () => {
  const phone = await loginAs(t.app, 'dispatcher');
  const desk = new Client(t.app);
  await desk.login(phone.user!.username);
  const wrong = await phone.post(`/api/users/${phone.user!.id}/password`, {
    currentPassword: 'not-it-at-all',
    password: 'brand-new-secret-9',
  });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.code, 'invalid_current_password');
  const missing = await phone.post(`/api/users/${phone.user!.id}/password`, { password: 'brand-new-secret-9' });
  assert.equal(missing.statusCode, 400);
  const ok = await phone.post(`/api/users/${phone.user!.id}/password`, { currentPassword: PASSWORD, password: 'brand-new-secret-9' });
  assert.equal(ok.statusCode, 204);
  assert.equal((await phone.get('/api/auth/session')).statusCode, 200, 'the session it was changed from stays');
  assert.equal((await desk.get('/api/auth/session')).statusCode, 401, 'other sessions end');
});

test('non-admins cannot reset someone else’s password', async () => {
  const other = await makeUser(t.app, { role: 'biller' });
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    const res = await c.post(`/api/users/${other.id}/password`, { password: 'takeover-attempt-1' });
    assert.equal(res.statusCode, 403);
  }
});

test('areas: everyone logged in lists them; only admins add; duplicates refused', async () => {
  for (const role of ['admin', 'biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    const res = await c.get('/api/areas');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().items.length, 10);
    assert.deepEqual(res.json().items[4], { id: 'sri_ganganagar', name: 'Sri Ganganagar' });
  }
  assert.equal((await new Client(t.app).get('/api/areas')).statusCode, 401);
  const admin = await loginAs(t.app, 'admin');
  const created = await admin.post('/api/areas', { name: 'Navi  Mumbai' });
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json().area, { id: 'navi_mumbai', name: 'Navi Mumbai' });
  const dup = await admin.post('/api/areas', { name: 'navi mumbai' });
  assert.equal(dup.statusCode, 409);
  for (const role of ['biller', 'dispatcher'] as const) {
    assert.equal((await (await loginAs(t.app, role)).post('/api/areas', { name: 'Pune' })).statusCode, 403);
  }
});

test('every user change writes one history event with before/after and no secret', async () => {
  const admin = await loginAs(t.app, 'admin');
  const created = await admin.post('/api/users', newUser());
  const id = created.json().user.id;
  await admin.patch(`/api/users/${id}`, { area: 'hisar' });
  await admin.post(`/api/users/${id}/password`, { password: 'another-good-one-7' });
  const events = await t.app.ctx.db.selectFrom('events').selectAll().where('subject', '=', `user:${id}`).orderBy('id').execute();
  assert.deepEqual(
    events.map((e) => e.action),
    ['user.create', 'user.update', 'user.password_reset'],
  );
  assert.ok(events.every((e) => e.actor_name === admin.user!.username));
  assert.deepEqual((events[1]!.details as { before: { areaId: string } }).before.areaId, 'jaipur');
  assert.doesNotMatch(JSON.stringify(events), /mustard-sacks|another-good-one|argon2/);
});
