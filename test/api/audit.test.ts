/**
 * The audit log: every audited action writes exactly one history row with the right actor and
 * no secret; GET /api/audit filters and pages by keyset; the CSV export streams every page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { appendEvent } from '../../src/storage/events.repository.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });

const allEvents = () => t.app.ctx.db.selectFrom('events').selectAll().orderBy('id').execute();

/** Runs `act` and asserts it added exactly one row, of that action, by that actor, with no secret. */
async function expectOneRow(action: string, actorId: string | null, secrets: string[], act: () => Promise<unknown>) {
  const before = (await allEvents()).length;
  await act();
  const after = await allEvents();
  const added = after.slice(before);
  assert.equal(added.length, 1, `${action}: expected one new row, got ${added.map((e) => `${e.action}/${e.outcome}`).join(', ')}`);
  const row = added[0]!;
  assert.equal(row.action, action);
  assert.equal(row.actor_id === null ? null : String(row.actor_id), actorId, `${action}: actor`);
  assert.ok(row.request_id, `${action}: request id recorded`);
  const text = JSON.stringify(row);
  for (const s of secrets.filter(Boolean)) assert.ok(!text.includes(s), `${action}: the row holds a secret (${s.slice(0, 6)}…)`);
  return row;
}

test('every audited action writes exactly one row with the right actor and no secret', async () => {
  const admin = await loginAs(t.app, 'admin');
  const adminId = admin.user!.id;
  const session = admin.cookies.get('tt_session')!;
  const secrets = [PASSWORD, session, session.split('.')[0]!, admin.csrfToken];
  const target = await makeUser(t.app, { role: 'biller' });

  // Logins: success, wrong password, the failure that locks, a refusal while locked.
  const c = new Client(t.app);
  await expectOneRow('login', target.id, secrets, () => c.login(target.username));
  await expectOneRow('login', target.id, [...secrets, 'wrong-pass-word-1'], () =>
    new Client(t.app).login(target.username, 'wrong-pass-word-1'),
  );
  await expectOneRow('login', null, secrets, () => new Client(t.app).login('no_such_user', 'wrong-pass-word-2'));
  for (let i = 0; i < 3; i++) await new Client(t.app).login(target.username, 'wrong-pass-word-3');
  const lock = await expectOneRow('login', target.id, secrets, () => new Client(t.app).login(target.username, 'wrong-pass-word-4'));
  assert.equal(lock.outcome, 'locked_out');
  const refused = await expectOneRow('login', target.id, secrets, () => new Client(t.app).login(target.username));
  assert.equal(refused.outcome, 'account_locked');
  await expectOneRow('logout', target.id, secrets, () => c.post('/api/auth/logout'));

  // Users: create (password never stored), role change with before/after, reset.
  let created = '';
  const row = await expectOneRow('user.create', adminId, [...secrets, 'brand-new-secret-9'], async () => {
    created = (
      await admin.post('/api/users', { username: 'new_crew', password: 'brand-new-secret-9', role: 'dispatcher', area: 'hisar' })
    ).json().user.id;
  });
  assert.equal(row.subject, `user:${created}`);
  const update = await expectOneRow('user.update', adminId, secrets, () => admin.patch(`/api/users/${created}`, { role: 'biller' }));
  assert.deepEqual((update.details as { before: { role: string } }).before.role, 'dispatcher');
  assert.deepEqual((update.details as { after: { role: string } }).after.role, 'biller');
  await expectOneRow('user.password_reset', adminId, [...secrets, 'reset-secret-pass-1'], () =>
    admin.post(`/api/users/${created}/password`, { password: 'reset-secret-pass-1' }),
  );
  const self = await loginAs(t.app, 'dispatcher');
  await expectOneRow('user.password_change', self.user!.id, [...secrets, 'changed-secret-pass-2'], () =>
    self.post(`/api/users/${self.user!.id}/password`, { currentPassword: PASSWORD, password: 'changed-secret-pass-2' }),
  );

  // Areas and settings.
  await expectOneRow('area.create', adminId, secrets, () => admin.post('/api/areas', { name: 'Kota' }));
  const area = await expectOneRow('area.update', adminId, secrets, () =>
    admin.patch('/api/areas/kota', { name: 'Kota Junction', active: false }),
  );
  assert.deepEqual(area.details, { before: { name: 'Kota', active: true }, after: { name: 'Kota Junction', active: false } });
  await expectOneRow('area.delete', adminId, secrets, () => admin.delete('/api/areas/kota'));
  await expectOneRow('settings.update', adminId, secrets, () => admin.patch('/api/settings', { requireAdminTotp: true }));

  // Sessions ended by their owner.
  const phone = await new Client(t.app).login(admin.user!.username);
  assert.equal(phone.statusCode, 200);
  const list = (await admin.get('/api/auth/sessions')).json().items as Array<{ id: string; current: boolean }>;
  const other = list.find((s) => !s.current)!;
  await expectOneRow('session.end', adminId, secrets, () => admin.delete(`/api/auth/sessions/${other.id}`));
  await new Client(t.app).login(admin.user!.username);
  await expectOneRow('session.end_others', adminId, secrets, () => admin.delete('/api/auth/sessions'));
});

test('settings: an unchanged value writes no row', async () => {
  const admin = await loginAs(t.app, 'admin');
  const before = (await allEvents()).length;
  assert.equal((await admin.patch('/api/settings', { requireAdminTotp: false })).statusCode, 200);
  assert.equal((await allEvents()).length, before);
});

test('GET /api/audit: admins only; filters by actor, action (exact or prefix), subject and time', async () => {
  const admin = await loginAs(t.app, 'admin');
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await c.get('/api/audit')).statusCode, 403);
    assert.equal((await c.get('/api/audit/export.csv')).statusCode, 403);
  }
  assert.equal((await new Client(t.app).get('/api/audit')).statusCode, 401);
  const u = (await admin.post('/api/users', { username: 'filter_me', password: 'filter-me-pass-1', role: 'biller' })).json().user;
  t.clock.advanceMinutes(10);
  const t1 = t.clock.now().toISOString();
  await admin.patch(`/api/users/${u.id}`, { email: 'f@example.org' });
  await new Client(t.app).login('filter_me', 'wrong-password-77');

  const byAction = (await admin.get('/api/audit?action=user.update')).json();
  assert.equal(byAction.items.length, 1);
  assert.equal(byAction.items[0].subject, `user:${u.id}`);
  assert.equal(byAction.items[0].actor, admin.user!.username);
  assert.ok(byAction.items[0].requestId);
  assert.equal(byAction.items[0].ip, '127.0.0.1');
  // admin, biller, dispatcher (this test's logins) and filter_me were created; one update.
  const prefix = (await admin.get('/api/audit?action=user.*'))
    .json()
    .items.map((e: { action: string }) => e.action)
    .sort();
  assert.deepEqual(prefix, ['user.create', 'user.create', 'user.create', 'user.create', 'user.update']);
  const bySubject = (await admin.get(`/api/audit?subject=user:${u.id}`)).json().items.map((e: { action: string }) => e.action);
  assert.deepEqual(bySubject, ['login', 'user.update', 'user.create']);
  const byActor = (await admin.get('/api/audit?actor=FILTER_ME')).json().items;
  assert.deepEqual(
    byActor.map((e: { outcome: string }) => e.outcome),
    ['invalid_credentials'],
  );
  const byId = (await admin.get(`/api/audit?actor=${admin.user!.id}&action=user.update`)).json().items;
  assert.equal(byId.length, 1);
  await new Client(t.app).login('ghost_user', 'wrong-password-78');
  const byName = (await admin.get('/api/audit?actor=ghost_user')).json().items;
  assert.equal(byName.length, 1, 'attempts by names without a user row are found by name');
  assert.equal(byName[0].actorId, null);
  const since = (await admin.get(`/api/audit?from=${encodeURIComponent(t1)}`)).json().items.map((e: { action: string }) => e.action);
  assert.deepEqual(since, ['login', 'login', 'user.update']);
  const until = (await admin.get(`/api/audit?to=${encodeURIComponent(t1)}&action=user.update`)).json().items;
  assert.equal(until.length, 0);
  const bad = await admin.get(`/api/audit?from=${encodeURIComponent(t1)}&to=${encodeURIComponent(t1)}`);
  assert.equal(bad.statusCode, 400);
});

test('keyset paging: pages never overlap or skip; scan attempts only when asked for', async () => {
  const admin = await loginAs(t.app, 'admin');
  for (let i = 0; i < 7; i++)
    await appendEvent(
      t.app.ctx.db,
      { userId: admin.user!.id, username: admin.user!.username },
      { action: 'area.update', outcome: 'ok', subject: `area:a${i}` },
      t.clock.now(),
    );
  await appendEvent(
    t.app.ctx.db,
    { userId: admin.user!.id, username: admin.user!.username },
    { action: 'scan.child', outcome: 'linked', subject: 'C0001', related: 'SB00001' },
    t.clock.now(),
  );
  const seen: string[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null) {
    const res = await admin.get(`/api/audit?action=area.update&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200);
    const body: { items: Array<{ id: string; subject: string }>; nextCursor: string | null } = res.json();
    seen.push(...body.items.map((e) => e.subject));
    cursor = body.nextCursor;
    pages++;
  }
  assert.equal(pages, 3);
  assert.deepEqual(
    seen,
    ['a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0'].map((a) => `area:${a}`),
  );
  const plain = (await admin.get('/api/audit')).json().items.map((e: { action: string }) => e.action);
  assert.ok(!plain.includes('scan.child'), 'scan attempts are left out by default');
  assert.ok((await admin.get('/api/audit?includeScans=true')).json().items.some((e: { action: string }) => e.action === 'scan.child'));
  const scans = (await admin.get('/api/audit?action=scan.child')).json().items;
  assert.equal(scans.length, 1);
  assert.equal(scans[0].related, 'SB00001');
  assert.equal((await admin.get('/api/audit?cursor=abc')).statusCode, 400);
  assert.equal((await admin.get('/api/audit?limit=1000')).statusCode, 400);
});

test('CSV export streams every page, quotes properly and neutralises spreadsheet formulas', async () => {
  const admin = await loginAs(t.app, 'admin');
  await new Client(t.app).login('=HYPERLINK("x")', 'wrong-password-1');
  await new Client(t.app).login('comma,"quote"', 'wrong-password-2');
  // More rows than one export page (1000), written in one statement.
  await sql`insert into events (at, actor_id, actor_name, action, outcome, subject)
    select ${t.clock.now()}, ${admin.user!.id}, 'bulk', 'bulk.test', 'ok', 'n:' || g from generate_series(1, 1205) g`.execute(t.app.ctx.db);
  const res = await admin.get('/api/audit/export.csv');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/csv/);
  assert.match(String(res.headers['content-disposition']), /attachment; filename="tracetrack-audit-20261125-\d{4}\.csv"/);
  const lines = res.body.trimEnd().split('\r\n');
  assert.equal(lines[0], 'id,at,at (Asia/Kolkata),actor_id,actor,action,outcome,subject,related,area,ip,station,request_id,details');
  const total = (await sql<{ n: string }>`select count(*) as n from events`.execute(t.app.ctx.db)).rows[0]!.n;
  assert.equal(lines.length - 1, Number(total));
  const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => b - a),
    'newest first, no repeats',
  );
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(
    lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`)),
    'formula neutralised and quoted',
  );
  assert.ok(lines.some((l) => l.includes('"comma,""quote"""')));
  const filtered = (await admin.get('/api/audit/export.csv?action=login')).body.trimEnd().split('\r\n');
  assert.equal(filtered.length, 1 + 3);
});

test('a CSV export with "from" after "to" is a 400 before any line is sent, not a cut-off download (fuzz finding)', async () => {
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.get('/api/audit/export.csv?from=9999-12-31T23:59:59Z&to=2026-01-01T00:00:00Z');
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'validation_failed');
});
