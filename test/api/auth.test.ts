import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

test('login answers user and csrf token, sets an httpOnly SameSite cookie, never the hash', async () => {
  const user = await makeUser(t.app, { role: 'biller' });
  const c = new Client(t.app);
  const res = await c.login(user.username);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.user, { id: user.id, username: user.username, role: 'biller', area: null });
  assert.match(body.csrfToken, /.{20,}/);
  const cookie = res.cookies.find((k) => k.name === 'tt_session');
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.doesNotMatch(res.body, /argon2|password/i);
  const session = await c.get('/api/auth/session');
  assert.equal(session.statusCode, 200);
  assert.equal(session.json().user.username, user.username);
});

test('unknown user and wrong password get the same 401 answer', async () => {
  const user = await makeUser(t.app);
  const a = await new Client(t.app).login('nobody_here', PASSWORD);
  const b = await new Client(t.app).login(user.username, 'wrong-password-123');
  assert.equal(a.statusCode, 401);
  assert.equal(b.statusCode, 401);
  assert.deepEqual(a.json(), b.json());
  assert.equal(a.json().error.code, 'invalid_credentials');
});

test('disabled users cannot log in and get the same answer as a wrong password', async () => {
  const admin = await loginAs(t.app, 'admin');
  const user = await makeUser(t.app, { role: 'biller' });
  assert.equal((await admin.patch(`/api/users/${user.id}`, { active: false })).statusCode, 200);
  const res = await new Client(t.app).login(user.username);
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'invalid_credentials');
});

test('five failed logins lock the account for 15 minutes, then it opens again', async () => {
  const user = await makeUser(t.app);
  const c = new Client(t.app);
  for (let i = 1; i <= 4; i++) assert.equal((await c.login(user.username, 'not-the-password')).statusCode, 401, `attempt ${i}`);
  const fifth = await c.login(user.username, 'not-the-password');
  assert.equal(fifth.statusCode, 423);
  assert.equal(fifth.json().error.code, 'account_locked');
  // Even the right password is refused while locked.
  assert.equal((await c.login(user.username)).statusCode, 423);
  t.clock.advanceMinutes(14);
  assert.equal((await c.login(user.username)).statusCode, 423);
  t.clock.advanceMinutes(2);
  assert.equal((await c.login(user.username)).statusCode, 200);
});

test('a successful login resets the failure count', async () => {
  const user = await makeUser(t.app);
  const c = new Client(t.app);
  for (let i = 0; i < 4; i++) await c.login(user.username, 'not-the-password');
  assert.equal((await c.login(user.username)).statusCode, 200);
  for (let i = 0; i < 4; i++) assert.equal((await new Client(t.app).login(user.username, 'nope-nope-nope')).statusCode, 401);
});

test('logout ends the session: the cookie no longer works', async () => {
  const c = await loginAs(t.app, 'dispatcher');
  const stolen = new Map(c.cookies);
  assert.equal((await c.post('/api/auth/logout')).statusCode, 204);
  const replay = new Client(t.app);
  for (const [k, v] of stolen) replay.cookies.set(k, v);
  assert.equal((await replay.get('/api/auth/session')).statusCode, 401);
});

test('session expires after 30 idle minutes and after 12 hours regardless of activity', async () => {
  const c = await loginAs(t.app, 'biller');
  t.clock.advanceMinutes(29);
  assert.equal((await c.get('/api/auth/session')).statusCode, 200);
  t.clock.advanceMinutes(29);
  assert.equal((await c.get('/api/auth/session')).statusCode, 200, 'activity keeps it alive');
  t.clock.advanceMinutes(31);
  assert.equal((await c.get('/api/auth/session')).statusCode, 401, 'idle for 31 minutes');

  const d = await loginAs(t.app, 'biller');
  for (let i = 0; i < 12 * 3; i++) {
    t.clock.advanceMinutes(20);
    const status = (await d.get('/api/auth/session')).statusCode;
    if (i < 35) assert.equal(status, 200, `still alive after ${(i + 1) * 20} minutes`);
    else assert.equal(status, 401, 'absolute limit of 12 hours');
  }
});

test('CSRF: a cookie-authenticated POST without or with a wrong token is 403 csrf_failed', async () => {
  const admin = await loginAs(t.app, 'admin');
  const body = { username: 'newbie_1', password: 'a-long-unique-pass-9', role: 'biller' };
  const none = await admin.post('/api/users', body, { 'x-csrf-token': '' });
  assert.equal(none.statusCode, 403);
  assert.equal(none.json().error.code, 'csrf_failed');
  const wrong = await admin.post('/api/users', body, { 'x-csrf-token': 'forged-token-value' });
  assert.equal(wrong.statusCode, 403);
  assert.equal(wrong.json().error.code, 'csrf_failed');
  const ok = await admin.post('/api/users', body);
  assert.equal(ok.statusCode, 201);
});

test('CSRF: the login form refuses a post without the page token', async () => {
  const user = await makeUser(t.app);
  const c = new Client(t.app);
  await c.openLoginPage();
  const bad = await c.form('/login', { username: user.username, password: PASSWORD }, false);
  assert.equal(bad.statusCode, 403);
  const good = await c.form('/login', { username: user.username, password: PASSWORD, next: '/admin/users' });
  assert.equal(good.statusCode, 303);
  assert.equal(good.headers.location, '/admin/users');
});

test('login form: wrong password re-renders with a friendly message; open redirects are ignored', async () => {
  const user = await makeUser(t.app);
  const c = new Client(t.app);
  await c.openLoginPage();
  const bad = await c.form('/login', { username: user.username, password: 'nope-nope-nope' });
  assert.equal(bad.statusCode, 401);
  assert.match(bad.body, /Wrong username or password/);
  assert.match(bad.body, new RegExp(`value="${user.username}"`));
  await c.openLoginPage();
  const good = await c.form('/login', { username: user.username, password: PASSWORD, next: '//evil.example/x' });
  assert.equal(good.headers.location, '/');
});

test('per-IP login rate limit: 429 beyond the limit, other addresses unaffected', async () => {
  await t.rebuild({ config: { loginRateLimitPerMinute: 5 } });
  const user = await makeUser(t.app);
  const c = new Client(t.app);
  c.remoteAddress = '10.9.8.7';
  for (let i = 0; i < 5; i++) assert.notEqual((await c.login('nobody_x', 'whatever-123')).statusCode, 429);
  const limited = await c.login(user.username);
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, 'rate_limited');
  const other = new Client(t.app);
  other.remoteAddress = '10.9.8.8';
  assert.equal((await other.login(user.username)).statusCode, 200);
});

test('the default login limit lets 200 workers behind one address log in within a minute', async () => {
  const users = await Promise.all(Array.from({ length: 200 }, () => makeUser(t.app)));
  let ok = 0;
  for (const u of users) {
    const c = new Client(t.app);
    c.remoteAddress = '10.1.1.1';
    if ((await c.login(u.username)).statusCode === 200) ok++;
  }
  assert.equal(ok, 200);
});

test('pages redirect anonymous visitors to the login page; the API answers 401', async () => {
  const page = await new Client(t.app).get('/admin/users');
  assert.equal(page.statusCode, 303);
  assert.equal(page.headers.location, '/login?next=%2Fadmin%2Fusers');
  const api = await new Client(t.app).get('/api/users');
  assert.equal(api.statusCode, 401);
  assert.equal(api.json().error.code, 'not_authenticated');
});
