/**
 * Administration pages: they render for admins only, escape everything users typed, answer a
 * successful form post with 303, and show real scan figures counted from the history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { totpCode, totpStep } from '../../src/lib/totp.js';

// 12:00 in Asia/Kolkata (the default display zone).
const t = useTestApp({ startAt: '2026-11-25T06:30:00Z' });

const XSS = '<script>alert(1)</script>';

async function openPage(c: Client, url: string) {
  const res = await c.get(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
  assert.match(String(res.headers['content-type']), /text\/html/);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
  if (m) c.csrfToken = m[1]!;
  return res;
}

test('admin pages are for admins; the navigation shows each role its entries', async () => {
  const admin = await loginAs(t.app, 'admin');
  const home = await openPage(admin, '/profile');
  for (const href of ['/admin/users', '/admin/areas', '/admin/settings', '/admin/audit', '/profile'])
    assert.match(home.body, new RegExp(`href="${href}"`));
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    const page = await openPage(c, '/profile');
    assert.match(page.body, /href="\/profile"/);
    assert.doesNotMatch(page.body, /href="\/admin\/(audit|areas|settings)"/);
    for (const url of ['/admin/audit', '/admin/areas', '/admin/settings', `/admin/users/${c.user!.id}`, '/profile/2fa']) {
      assert.equal((await c.get(url)).statusCode, 403, `${role} ${url}`);
    }
  }
  assert.equal((await new Client(t.app).get('/admin/audit')).statusCode, 303);
});

test('audit page: filters, escaped entries, paging link and CSV link with the same filters', async () => {
  const admin = await loginAs(t.app, 'admin');
  await new Client(t.app).login(XSS, 'wrong-password-1');
  const page = await openPage(admin, '/admin/audit?action=login&from=2026-11-25&to=2026-11-25');
  assert.ok(!page.body.includes(XSS), 'user input is escaped');
  assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(
    page.body,
    /href="\/api\/exports\/events\.csv\?action=login&amp;from=2026-11-24T18%3A30%3A00\.000Z&amp;to=2026-11-25T18%3A30%3A00\.000Z"/,
  );
  const none = await openPage(admin, '/admin/audit?action=login&from=2026-11-26');
  assert.match(none.body, /Nothing matches/);
  assert.equal((await admin.get('/admin/audit?from=2026-02-31x')).statusCode, 400);
  assert.equal((await admin.get('/admin/audit?from=2026-13-45')).statusCode, 200, 'an impossible date is a message, not a crash');
  for (let i = 0; i < 105; i++) await new Client(t.app).login(`nobody_${i}`, 'wrong-password-2');
  const first = await openPage(admin, '/admin/audit?action=login');
  const older = /href="(\/admin\/audit\?action=login&amp;cursor=\d+)"/.exec(first.body);
  assert.ok(older, 'a link to older entries');
  const second = await openPage(admin, older[1]!.replace(/&amp;/g, '&'));
  assert.match(second.body, /nobody_/);
});

test('areas page: add, rename and deactivate by form (303); refusals shown on the page; names escaped', async () => {
  const admin = await loginAs(t.app, 'admin');
  await openPage(admin, '/admin/areas');
  const add = await admin.form('/admin/areas', { name: `Kota ${XSS}` });
  assert.equal(add.statusCode, 303);
  assert.equal(add.headers.location, '/admin/areas?done=created');
  const page = await openPage(admin, '/admin/areas?done=created');
  assert.match(page.body, /Area added/);
  assert.ok(!page.body.includes(XSS));
  const id = /id="area-(kota_[a-z0-9_]+)"/.exec(page.body)![1]!;
  const rename = await admin.form(`/admin/areas/${id}`, { name: 'Kota', active: 'false' });
  assert.equal(rename.statusCode, 303);
  const area = await t.app.ctx.db.selectFrom('areas').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(area.name, 'Kota');
  assert.equal(area.active, false);
  const dup = await admin.form(`/admin/areas/${id}`, { name: 'Jaipur', active: 'true' });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /already exists/);
  await loginAs(t.app, 'dispatcher'); // a dispatcher of lucknow
  await openPage(admin, '/admin/areas');
  const inUse = await admin.form('/admin/areas/lucknow/delete', {});
  assert.equal(inUse.statusCode, 409);
  assert.match(inUse.body, /deactivate it instead/);
  const del = await admin.form(`/admin/areas/${id}/delete`, {});
  assert.equal(del.statusCode, 303);
});

test('settings page: the "require two-factor for admins" switch, by form', async () => {
  const admin = await loginAs(t.app, 'admin');
  const page = await openPage(admin, '/admin/settings');
  assert.match(page.body, /Require two-factor login for all admins/);
  assert.equal((await admin.form('/admin/settings', { requireAdminTotp: 'false' })).statusCode, 303);
  const on = await admin.request(
    'POST',
    '/admin/settings',
    `_csrf=${encodeURIComponent(admin.csrfToken)}&requireAdminTotp=false&requireAdminTotp=true`,
    {
      'content-type': 'application/x-www-form-urlencoded',
      'x-csrf-token': '',
    },
  );
  assert.equal(on.statusCode, 303);
  assert.equal((await admin.get('/api/settings')).statusCode, 403, 'now this admin must enrol first');
  assert.equal((await admin.get('/admin/settings')).headers.location, '/profile/2fa');
});

test('two-factor pages: set up by form, QR code as a data: image, backup codes shown once, turn off', async () => {
  const admin = await loginAs(t.app, 'admin');
  const start = await openPage(admin, '/profile/2fa');
  assert.match(start.body, /Set up two-factor/);
  const setup = await admin.form('/profile/2fa/setup', {});
  assert.equal(setup.statusCode, 303);
  const qr = await openPage(admin, '/profile/2fa?done=started');
  assert.match(qr.body, /<img class="qr" src="data:image\/svg\+xml;base64,/);
  const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(qr.body)![1]!.replace(/ /g, '');
  assert.equal(String(qr.headers['cache-control']), 'no-store');
  const wrong = await admin.form('/profile/2fa/confirm', { code: 'abc' });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /not right/);
  const ok = await admin.form('/profile/2fa/confirm', { code: totpCode(secret, totpStep(t.clock.now())) });
  assert.equal(ok.statusCode, 200);
  const codes = [...ok.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  const manage = await openPage(admin, '/profile/2fa');
  assert.match(manage.body, /10 unused backup codes left/);
  for (const code of codes) assert.ok(!manage.body.includes(code), 'codes are never shown again');
  assert.match((await openPage(admin, '/profile')).body, /<strong>On<\/strong>/);
  const off = await admin.form('/profile/2fa/disable', { password: 'correct-horse-battery-7' });
  assert.equal(off.statusCode, 303);
});

test('users page and activity page show real scan figures from the history', async () => {
  const admin = await loginAs(t.app, 'admin');
  const crew = await loginAs(t.app, 'dispatcher');
  const scan = (path: string, body: object) => crew.post(path, body);
  // Two days ago: a parent and two children. Today: one more child, one refused scan.
  t.clock.advanceMinutes(-2 * 24 * 60);
  assert.equal((await scan('/api/scans/parent', { code: 'SB00001' })).statusCode, 200);
  for (const code of ['C0000001', 'C0000002'])
    assert.equal((await scan('/api/scans/child', { parentCode: 'SB00001', code })).statusCode, 200);
  t.clock.advanceMinutes(2 * 24 * 60);
  const again = new Client(t.app);
  assert.equal((await again.login(crew.user!.username)).statusCode, 200);
  assert.equal((await again.post('/api/scans/child', { parentCode: 'SB00001', code: 'C0000003' })).statusCode, 200);
  assert.equal((await again.post('/api/scans/child', { parentCode: 'SB00001', code: 'SB00001' })).statusCode, 409);

  const list = await openPage(admin, '/admin/users');
  const row = new RegExp(`<a href="/admin/users/${crew.user!.id}"><strong>${crew.user!.username}</strong></a>[\\s\\S]*?<td>1 / 4</td>`);
  assert.match(list.body, row, 'today 1, 7 days 4 accepted scans');

  const api = (await admin.get(`/api/users/${crew.user!.id}/activity`)).json();
  assert.equal(api.scansToday, 1);
  assert.equal(api.scans7Days, 4);
  assert.equal(api.days.length, 30);
  assert.deepEqual(api.days.at(-1), { day: '2026-11-25', accepted: 1, refused: 1 });
  assert.deepEqual(api.days.at(-3), { day: '2026-11-23', accepted: 3, refused: 0 });
  assert.equal(api.recent.length, 5);
  assert.equal(api.recent[0].outcome, 'wrong_bag_type');
  assert.equal(api.user.lastLoginAt, t.clock.now().toISOString());

  const page = await openPage(admin, `/admin/users/${crew.user!.id}`);
  assert.match(page.body, /<svg class="chart"/);
  assert.equal([...page.body.matchAll(/<rect /g)].length, 30);
  assert.match(page.body, /<title>2026-11-23: 3 accepted, 0 refused<\/title>/);
  assert.match(page.body, /C0000003/);
  assert.equal((await admin.get('/admin/users/999999')).statusCode, 404);
});
