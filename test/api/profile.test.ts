/** Own profile: password change (current required, same policy), own sessions listed and ended; Secure cookie behind HTTPS. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { PASSWORD } from '../helpers/factories.js';

const t = useTestApp();

type Listed = { id: string; current: boolean; ip: string | null; userAgent: string | null; createdAt: string; lastSeenAt: string };

test('each role sees its own sessions with device, address and times; never a session id or token', async () => {
  for (const role of ['admin', 'biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    const phone = new Client(t.app);
    phone.remoteAddress = '10.0.0.9';
    assert.equal(
      (await phone.request('POST', '/api/auth/login', { username: c.user!.username, password: PASSWORD }, { 'user-agent': 'Handheld/1.0' }))
        .statusCode,
      200,
    );
    const res = await c.get('/api/auth/sessions');
    assert.equal(res.statusCode, 200);
    const items: Listed[] = res.json().items;
    assert.equal(items.length, 2);
    assert.equal(items.filter((s) => s.current).length, 1);
    const other = items.find((s) => !s.current)!;
    assert.equal(other.ip, '10.0.0.9');
    assert.equal(other.userAgent, 'Handheld/1.0');
    assert.ok(!Number.isNaN(Date.parse(other.createdAt)) && !Number.isNaN(Date.parse(other.lastSeenAt)));
    const token = c.cookies.get('tt_session')!.split('.')[0]!;
    const stored = await t.app.ctx.sessions.listForUser(c.user!.id);
    for (const s of stored) assert.ok(!res.body.includes(s.id), 'the stored session id never leaves');
    assert.ok(!res.body.includes(token));
  }
});

test('ending another session logs that device out; ending the current one is a logout', async () => {
  const c = await loginAs(t.app, 'dispatcher');
  const phone = new Client(t.app);
  await phone.login(c.user!.username);
  const other = ((await c.get('/api/auth/sessions')).json().items as Listed[]).find((s) => !s.current)!;
  assert.equal((await c.delete(`/api/auth/sessions/${other.id}`)).statusCode, 204);
  assert.equal((await phone.get('/api/auth/session')).statusCode, 401);
  assert.equal((await c.get('/api/auth/session')).statusCode, 200);
  assert.equal((await c.delete(`/api/auth/sessions/${other.id}`)).statusCode, 404, 'already ended');
  const current = ((await c.get('/api/auth/sessions')).json().items as Listed[])[0]!;
  assert.equal((await c.delete(`/api/auth/sessions/${current.id}`)).statusCode, 204);
  assert.equal((await c.get('/api/auth/session')).statusCode, 401);
});

test('nobody can end someone else’s session', async () => {
  const a = await loginAs(t.app, 'admin');
  const b = await loginAs(t.app, 'biller');
  const bs = ((await b.get('/api/auth/sessions')).json().items as Listed[])[0]!;
  assert.equal((await a.delete(`/api/auth/sessions/${bs.id}`)).statusCode, 404);
  assert.equal((await b.get('/api/auth/session')).statusCode, 200);
});

test('"end all other sessions" keeps only the current one', async () => {
  const c = await loginAs(t.app, 'biller');
  const others = [new Client(t.app), new Client(t.app)];
  for (const o of others) await o.login(c.user!.username);
  const res = await c.delete('/api/auth/sessions');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().ended, 2);
  for (const o of others) assert.equal((await o.get('/api/auth/session')).statusCode, 401);
  assert.equal(((await c.get('/api/auth/sessions')).json().items as Listed[]).length, 1);
});

test('expired sessions are not listed', async () => {
  const c = await loginAs(t.app, 'biller');
  const idle = new Client(t.app);
  await idle.login(c.user!.username);
  t.clock.advanceMinutes(20);
  await c.get('/api/auth/session');
  t.clock.advanceMinutes(15);
  const items = (await c.get('/api/auth/sessions')).json().items as Listed[];
  assert.equal(items.length, 1);
  assert.equal(items[0]!.current, true);
});

test('profile page: change own password (current required, same policy), other sessions end', async () => {
  const c = await loginAs(t.app, 'dispatcher');
  const other = new Client(t.app);
  await other.login(c.user!.username);
  const page = await c.get('/profile');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Change password/);
  assert.match(page.body, /\(this one\)/);
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const wrong = await c.form('/profile/password', { currentPassword: 'not-my-password-1', password: 'a-fine-new-pass-42' });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /current password is wrong/);
  const weak = await c.form('/profile/password', { currentPassword: PASSWORD, password: 'password123' });
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /too common/);
  const ok = await c.form('/profile/password', { currentPassword: PASSWORD, password: 'a-fine-new-pass-42' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/profile?done=password');
  assert.equal((await c.get('/api/auth/session')).statusCode, 200, 'this session stays');
  assert.equal((await other.get('/api/auth/session')).statusCode, 401, 'the others end');
  assert.equal((await new Client(t.app).login(c.user!.username, 'a-fine-new-pass-42')).statusCode, 200);
  assert.match((await c.get('/profile?done=password')).body, /Password changed/);
});

test('profile page: end a session by form; CSRF required', async () => {
  const c = await loginAs(t.app, 'biller');
  const other = new Client(t.app);
  await other.login(c.user!.username);
  const page = await c.get('/profile');
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const action = [...page.body.matchAll(/action="(\/profile\/sessions\/[^"]+\/end)"/g)].map((m) => m[1]!);
  assert.equal(action.length, 2);
  const list = (await c.get('/api/auth/sessions')).json().items as Listed[];
  const otherHandle = list.find((s) => !s.current)!.id;
  assert.equal((await c.form(`/profile/sessions/${otherHandle}/end`, {}, false)).statusCode, 403, 'no CSRF token');
  const ended = await c.form(`/profile/sessions/${otherHandle}/end`, {});
  assert.equal(ended.statusCode, 303);
  assert.equal((await other.get('/api/auth/session')).statusCode, 401);
  const me = list.find((s) => s.current)!.id;
  const out = await c.form(`/profile/sessions/${me}/end`, {});
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/login');
});

test('behind a TLS-terminating proxy (TRUST_PROXY) the session and CSRF cookies are Secure; plain HTTP they are not', async () => {
  await t.rebuild({ config: { trustProxy: true } });
  const { makeUser } = await import('../helpers/factories.js');
  const user = await makeUser(t.app, { role: 'biller' });
  const https = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { username: user.username, password: PASSWORD },
  });
  assert.equal(https.statusCode, 200);
  for (const name of ['tt_session', 'tt_csrf']) {
    const cookie = https.cookies.find((k) => k.name === name);
    assert.ok(cookie, `${name} set`);
    assert.equal(cookie.secure, true, `${name} is Secure over HTTPS`);
    assert.equal(cookie.httpOnly, true);
  }
  const plain = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: PASSWORD } });
  assert.notEqual(plain.cookies.find((k) => k.name === 'tt_session')!.secure, true);
  // Without TRUST_PROXY a forged header changes nothing.
  await t.rebuild();
  const forged = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'x-forwarded-proto': 'https' },
    payload: { username: user.username, password: PASSWORD },
  });
  assert.notEqual(forged.cookies.find((k) => k.name === 'tt_session')!.secure, true);
});
