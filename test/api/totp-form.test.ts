/** Two-factor login through the HTML form (two steps, server-side pending login) and operator recovery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { totpHelpers } from '../helpers/totp.js';
import { PASSWORD } from '../helpers/factories.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:10Z' });

const { codeNow, events, enrolledAdmin } = totpHelpers(t);

test('login form in two steps: password, then the code; the password is never asked twice', async () => {
  const { admin, secret } = await enrolledAdmin();
  const name = admin.user!.username;
  const c = new Client(t.app);
  await c.openLoginPage();
  const step1 = await c.form('/login', { username: name, password: PASSWORD, next: '/admin/users' });
  assert.equal(step1.statusCode, 200);
  assert.match(step1.body, /name="totp"/);
  assert.doesNotMatch(step1.body, /name="password"/);
  assert.ok(c.cookies.has('tt_pending'));
  assert.ok(!c.cookies.has('tt_session'), 'no session before the code');
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(step1.body)![1]!;
  const wrong = await c.form('/login', { totp: codeNow(secret) === '111111' ? '222222' : '111111', next: '/admin/users' });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /not right/);
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(wrong.body)![1]!;
  const ok = await c.form('/login', { totp: codeNow(secret), next: '/admin/users' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/admin/users');
  assert.ok(c.cookies.has('tt_session'));
  assert.equal((await c.get('/admin/users')).statusCode, 200);
});

test('the code step cannot be reached without the password step, nor after it expired', async () => {
  const { admin, secret } = await enrolledAdmin();
  const c = new Client(t.app);
  await c.openLoginPage();
  const forged = await c.form('/login', { totp: codeNow(secret) });
  assert.equal(forged.statusCode, 401);
  assert.match(forged.body, /timed out/);
  assert.ok(!c.cookies.has('tt_session'));
  await c.openLoginPage();
  const step1 = await c.form('/login', { username: admin.user!.username, password: PASSWORD });
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(step1.body)![1]!;
  t.clock.advanceMinutes(6);
  const late = await c.form('/login', { totp: codeNow(secret) });
  assert.equal(late.statusCode, 401);
  assert.match(late.body, /timed out/);
  // A forged pending cookie (unsigned) is ignored.
  c.cookies.set('tt_pending', 'made-up-token');
  assert.match((await c.form('/login', { totp: codeNow(secret) })).body, /timed out/);
});

test('operator recovery: disable-2fa (CLI use case) turns it off, ends sessions, writes one row', async () => {
  const { admin } = await enrolledAdmin();
  const { disableTotpByUsername } = await import('../../src/domain/users/recovery.js');
  await disableTotpByUsername(t.app.ctx, admin.user!.username.toUpperCase());
  assert.equal((await admin.get('/api/auth/session')).statusCode, 401, 'sessions ended');
  assert.equal((await new Client(t.app).login(admin.user!.username)).statusCode, 200, 'no code needed any more');
  const rows = await events('totp.disable');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.actor_name, 'system');
});
