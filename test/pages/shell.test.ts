/** The page shell and the admin users page: layout per role, escaping, forms with PRG. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

/** Reads the CSRF token the layout puts in every page. */
const pageToken = (body: string) => /name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? '';

test('the layout shows the user, role, search box and only the navigation the role may use', async () => {
  const admin = await loginAs(t.app, 'admin');
  const a = await admin.get('/');
  assert.equal(a.statusCode, 200);
  assert.match(a.body, new RegExp(`class="name">${admin.user!.username}<`));
  assert.match(a.body, /class="role role-admin">admin</);
  assert.match(a.body, /name="q" type="search"/);
  assert.match(a.body, /href="\/admin\/users"/);
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    const page = await c.get('/');
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /href="\/admin\/users"/, `${role} sees no admin link`);
    assert.equal((await c.get('/admin/users')).statusCode, 403);
  }
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'hisar' });
  assert.match((await d.get('/')).body, /class="area">hisar</);
});

test('pages load only their own assets: stylesheet served by the app, no CDN, no inline script', async () => {
  const c = await loginAs(t.app, 'biller');
  const page = await c.get('/');
  const urls = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(
    urls.every((u) => u.startsWith('/')),
    `external references: ${urls.filter((u) => !u.startsWith('/'))}`,
  );
  assert.doesNotMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/);
  assert.doesNotMatch(page.body, /\sstyle="/);
  const css = await c.get('/assets/app.css');
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /text\/css/);
  assert.equal((await new Client(t.app).get('/assets/app.css')).statusCode, 200, 'static files are public');
  assert.equal((await c.get('/assets/../package.json')).statusCode, 404);
});

test('admin users page: create, edit and reset through forms (303), errors re-render, input escaped', async () => {
  const admin = await loginAs(t.app, 'admin');
  await makeUser(t.app, { role: 'biller', username: 'x_user', email: 'a"><script>alert(1)</script>@example.org' });
  let page = await admin.get('/admin/users');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  admin.csrfToken = pageToken(page.body);

  const created = await admin.form('/admin/users', {
    username: 'new_dispatch',
    password: 'packing-shed-77',
    role: 'dispatcher',
    area: 'raipur',
    email: '',
  });
  assert.equal(created.statusCode, 303);
  assert.equal(created.headers.location, '/admin/users?done=created');
  page = await admin.get('/admin/users?done=created');
  assert.match(page.body, /User created\./);
  assert.match(page.body, /new_dispatch/);

  const weak = await admin.form('/admin/users', { username: 'weakling', password: 'short', role: 'biller' });
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /at least 10 characters/);

  const user = await t.app.ctx.db.selectFrom('users').select('id').where('username', '=', 'new_dispatch').executeTakeFirstOrThrow();
  const edited = await admin.form(`/admin/users/${user.id}`, { role: 'dispatcher', area: 'ranchi', active: 'false' });
  assert.equal(edited.statusCode, 303);
  const row = await t.app.ctx.db.selectFrom('users').select(['area_id', 'active']).where('id', '=', user.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { area_id: 'ranchi', active: false });

  const self = await admin.form(`/admin/users/${admin.user!.id}`, { role: 'biller', area: '', active: 'true' });
  assert.equal(self.statusCode, 409);
  assert.match(self.body, /cannot change your own role/);

  const reset = await admin.form(`/admin/users/${user.id}/password`, { password: 'new-start-pass-55' });
  assert.equal(reset.statusCode, 303);
  const noToken = await admin.form(`/admin/users/${user.id}/password`, { password: 'new-start-pass-66' }, false);
  assert.equal(noToken.statusCode, 403, 'form posts need the CSRF field');
});

test('logout form ends the session and returns to the login page', async () => {
  const c = await loginAs(t.app, 'dispatcher');
  const page = await c.get('/');
  c.csrfToken = pageToken(page.body);
  const out = await c.form('/logout', {});
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/login');
  assert.equal((await c.get('/api/auth/session')).statusCode, 401);
});

test('health: ok, with database latency on request, 503 when the database is gone', async () => {
  const c = new Client(t.app);
  assert.deepEqual((await c.get('/health')).json(), { status: 'ok' });
  const withDb = (await c.get('/health?check_db=true')).json();
  assert.equal(withDb.status, 'ok');
  assert.equal(withDb.database.ok, true);
  assert.equal(typeof withDb.database.latencyMs, 'number');

  const { openDatabase } = await import('../../src/storage/database.js');
  const { buildApp } = await import('../../src/app.js');
  const { testConfig } = await import('../../src/config.js');
  // PostgreSQL: a server that is not there (nothing listens on port 9); PGlite: a closed engine.
  const doomed = await openDatabase(
    t.database.url ? { databaseUrl: 'postgres://postgres@127.0.0.1:9/gone', poolSize: 1 } : { pgliteDir: 'memory://' },
  );
  const lonely = await buildApp({ config: testConfig(), database: doomed, logger: false });
  if (!t.database.url) await doomed.close();
  const down = await lonely.inject({ method: 'GET', url: '/health?check_db=true' });
  assert.equal(down.statusCode, 503);
  assert.equal(down.json().database.ok, false);
  await lonely.close();
  if (t.database.url) await doomed.close();
});
