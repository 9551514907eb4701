/** Bad input never yields a 5xx: malformed JSON, wrong types, huge bodies, odd Unicode, injection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const t = useTestApp({ perFile: true, logStream });

test('malformed JSON, wrong types and unknown fields get 400 with a JSON error', async () => {
  const admin = await loginAs(t.app, 'admin');
  const bad = [
    '{"username": "x", ',
    '[]',
    '"just a string"',
    JSON.stringify({ username: 42, password: true, role: 'admin' }),
    JSON.stringify({ username: 'valid_name', password: 'long-enough-pass-1', role: 'emperor' }),
    JSON.stringify({ username: 'valid_name', password: 'long-enough-pass-1', role: 'biller', isAdmin: true }),
  ];
  for (const payload of bad) {
    const res = await admin.post('/api/users', payload, { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400, payload);
    assert.ok(res.json().error.code, payload);
  }
  const notJson = await admin.post('/api/users', 'username=x', { 'content-type': 'text/plain' });
  assert.ok([400, 415].includes(notJson.statusCode), `text body → ${notJson.statusCode}`);
});

test('an oversized body is 413, not a crash', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.post('/api/users', JSON.stringify({ username: 'a'.repeat(400_000), password: 'x', role: 'biller' }), {
    'content-type': 'application/json',
  });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().error.code, 'payload_too_large');
});

test('injection strings and odd Unicode are just data', async () => {
  const c = new Client(t.app);
  for (const username of ["admin' OR '1'='1", 'admin";--', '\u0000\u202e\ud83d\ude00', 'ＡＤＭＩＮ', 'a'.repeat(64)]) {
    const res = await c.login(username, "' OR 1=1 --");
    assert.ok([400, 401].includes(res.statusCode), `${JSON.stringify(username)} → ${res.statusCode}`);
  }
  const admin = await loginAs(t.app, 'admin');
  for (const id of ['1 OR 1=1', '99999999999999999999', '-1', '%00']) {
    const res = await admin.patch(`/api/users/${encodeURIComponent(id)}`, { active: false });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${id} → ${res.statusCode}`);
  }
  const missing = await admin.patch('/api/users/999999', { active: false });
  assert.equal(missing.statusCode, 404);
});

test('unknown paths are 404 JSON under /api and a friendly page elsewhere', async () => {
  const admin = await loginAs(t.app, 'admin');
  const api = await admin.get('/api/nothing-here');
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, 'not_found');
  const page = await admin.get('/nothing-here');
  assert.equal(page.statusCode, 404);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(page.body, /Not found/);
});

test('security headers: CSP without inline script, no framing, nosniff, referrer policy', async () => {
  const res = await new Client(t.app).get('/login');
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'same-origin');
  assert.doesNotMatch(res.body, /<script>(?!<\/script>)|<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script on the page');
});

test('no password, hash, session id or CSRF token ever reaches a log line', async () => {
  const user = await makeUser(t.app, { role: 'biller', password: 'log-canary-secret-77' });
  const c = new Client(t.app);
  const login = await c.login(user.username, 'log-canary-secret-77');
  assert.equal(login.statusCode, 200);
  await c.get('/api/auth/session');
  await c.login(user.username, 'wrong-canary-secret-88');
  const admin = await loginAs(t.app, 'admin');
  await admin.post(`/api/users/${user.id}/password`, { password: 'reset-canary-secret-99' });
  await admin.post('/api/users', { username: 'x', password: 'create-canary-secret-11', role: 'biller' }); // 400, logged
  const session = c.cookies.get('tt_session')!;
  const hash = (await t.app.ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow())
    .password_hash;
  const all = logLines.join('');
  assert.ok(logLines.length > 5, 'requests were logged');
  for (const secret of [
    'log-canary-secret-77',
    'wrong-canary-secret-88',
    'reset-canary-secret-99',
    'create-canary-secret-11',
    session,
    session.split('.')[0]!,
    c.csrfToken,
    hash,
    PASSWORD,
  ]) {
    assert.ok(!all.includes(secret), `a log line contains a secret (${secret.slice(0, 6)}…)`);
  }
});
