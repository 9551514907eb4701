/** Two-factor login (TOTP + backup codes): enrolment, login with a code, lockout, disable, "require for admins". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { totpHelpers } from '../helpers/totp.js';
import { PASSWORD } from '../helpers/factories.js';
import { base32Encode, totpCode, totpStep } from '../../src/lib/totp.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:10Z' });

const { codeNow, events, enrolledAdmin } = totpHelpers(t);

test('RFC 6238 test vectors (SHA-1, 6 digits)', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(totpCode(secret, totpStep(new Date(59_000))), '287082');
  assert.equal(totpCode(secret, totpStep(new Date(1_111_111_109_000))), '081804');
  assert.equal(totpCode(secret, totpStep(new Date(2_000_000_000_000))), '279037');
});

test('enrolment: QR code and secret, a wrong code refused, the right one turns it on with 10 backup codes', async () => {
  const admin = await loginAs(t.app, 'admin');
  assert.deepEqual((await admin.get('/api/auth/totp')).json(), { enabled: false, pending: false, backupCodesLeft: 0 });
  const setup = (await admin.post('/api/auth/totp/setup')).json();
  assert.match(setup.secret, /^[A-Z2-7]{32}$/);
  assert.match(setup.uri, /^otpauth:\/\/totp\/TraceTrack%3A.+\?secret=[A-Z2-7]+&issuer=TraceTrack/);
  assert.match(setup.qrSvgDataUrl, /^data:image\/svg\+xml;base64,/);
  assert.match(Buffer.from(setup.qrSvgDataUrl.split(',')[1], 'base64').toString(), /<svg/);
  assert.equal((await admin.get('/api/auth/totp')).json().pending, true);

  const wrong = await admin.post('/api/auth/totp/confirm', { code: '000000' === codeNow(setup.secret) ? '111111' : '000000' });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error.code, 'invalid_totp');
  const ok = await admin.post('/api/auth/totp/confirm', { code: codeNow(setup.secret) });
  assert.equal(ok.statusCode, 200);
  const codes: string[] = ok.json().backupCodes;
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  for (const c of codes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);

  const status = await admin.get('/api/auth/totp');
  assert.deepEqual(status.json(), { enabled: true, pending: false, backupCodesLeft: 10 });
  // The secret is sealed at rest and the backup codes are only hashes.
  const row = await t.app.ctx.db
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled'])
    .where('id', '=', admin.user!.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.totp_enabled, true);
  assert.ok(row.totp_secret && !row.totp_secret.includes(setup.secret));
  const stored = await t.app.ctx.db.selectFrom('totp_backup_codes').select('code_hash').execute();
  for (const c of codes) assert.ok(!stored.some((s) => s.code_hash.includes(c.replace('-', ''))));
  // A second setup is refused while it is on.
  assert.equal((await admin.post('/api/auth/totp/setup')).json().error.code, 'totp_already_enabled');
  // Exactly one history row, by this admin, with no secret in it.
  const rows = await events('totp.enable');
  assert.equal(rows.length, 1);
  assert.equal(String(rows[0]!.actor_id), admin.user!.id);
  assert.ok(!JSON.stringify(rows).includes(setup.secret));
});

test('login with two-factor on: code missing 401 totp_required, wrong 401 invalid_totp, right 200; a code works once', async () => {
  const { admin, secret } = await enrolledAdmin();
  const name = admin.user!.username;
  const missing = await new Client(t.app).login(name);
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.json().error.code, 'totp_required');
  const c = new Client(t.app);
  const wrong = await c.post('/api/auth/login', {
    username: name,
    password: PASSWORD,
    totp: codeNow(secret) === '123456' ? '654321' : '123456',
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error.code, 'invalid_totp');
  const code = codeNow(secret);
  const ok = await c.post('/api/auth/login', { username: name, password: PASSWORD, totp: code });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().user.username, name);
  const replay = await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: code });
  assert.equal(replay.statusCode, 401, 'the same code cannot be used twice');
  assert.equal(replay.json().error.code, 'invalid_totp');
  // A wrong password with a right code is still just a wrong password.
  t.clock.advance(30_000);
  const badPw = await new Client(t.app).post('/api/auth/login', { username: name, password: 'not-the-password', totp: codeNow(secret) });
  assert.equal(badPw.json().error.code, 'invalid_credentials');
  // Once a step is used, an older step's code (still inside the drift window) is refused too.
  const prev = totpCode(secret, totpStep(t.clock.now()) - 1);
  assert.equal(
    (await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: codeNow(secret) })).statusCode,
    200,
  );
  assert.equal(
    (await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: prev })).statusCode,
    401,
    'an older step after a newer one',
  );
});

test('wrong codes count toward the lockout like wrong passwords', async () => {
  const { admin, secret } = await enrolledAdmin();
  const name = admin.user!.username;
  const bad = codeNow(secret) === '999999' ? '888888' : '999999';
  for (let i = 1; i <= 4; i++) {
    const r = await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: bad });
    assert.equal(r.statusCode, 401, `attempt ${i}`);
  }
  const fifth = await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: bad });
  assert.equal(fifth.statusCode, 423);
  assert.equal(fifth.json().error.code, 'account_locked');
  const locked = await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: codeNow(secret) });
  assert.equal(locked.statusCode, 423);
  const outcomes = (await events('login')).map((e) => e.outcome);
  assert.equal(outcomes.filter((o) => o === 'invalid_totp').length, 4);
  assert.equal(outcomes.filter((o) => o === 'locked_out').length, 1);
});

test('a backup code logs in once only', async () => {
  const { admin, backupCodes } = await enrolledAdmin();
  const name = admin.user!.username;
  const code = backupCodes[3]!;
  const first = await new Client(t.app).post('/api/auth/login', {
    username: name,
    password: PASSWORD,
    totp: code.toUpperCase().replace('-', ' '),
  });
  assert.equal(first.statusCode, 200, first.body);
  const again = await new Client(t.app).post('/api/auth/login', { username: name, password: PASSWORD, totp: code });
  assert.equal(again.statusCode, 401);
  assert.equal(again.json().error.code, 'invalid_totp');
  assert.equal((await admin.get('/api/auth/totp')).json().backupCodesLeft, 9);
});

test('disabling needs the password; afterwards login needs no code; one audit row each', async () => {
  const { admin } = await enrolledAdmin();
  const wrong = await admin.post('/api/auth/totp/disable', { password: 'not-my-password-1' });
  assert.equal(wrong.statusCode, 400);
  assert.equal(wrong.json().error.code, 'invalid_current_password');
  assert.equal((await admin.post('/api/auth/totp/disable', { password: PASSWORD })).statusCode, 204);
  assert.equal((await new Client(t.app).login(admin.user!.username)).statusCode, 200);
  assert.equal((await t.app.ctx.db.selectFrom('totp_backup_codes').selectAll().execute()).length, 0);
  const rows = await events('totp.disable');
  assert.equal(rows.length, 1);
  assert.equal(String(rows[0]!.actor_id), admin.user!.id);
  assert.equal((await admin.post('/api/auth/totp/disable', { password: PASSWORD })).json().error.code, 'totp_not_set_up');
});

test('new backup codes replace the old ones (password required)', async () => {
  const { admin, backupCodes } = await enrolledAdmin();
  const res = await admin.post('/api/auth/totp/backup-codes', { password: PASSWORD });
  assert.equal(res.statusCode, 200);
  const fresh: string[] = res.json().backupCodes;
  assert.equal(fresh.length, 10);
  const old = await new Client(t.app).post('/api/auth/login', { username: admin.user!.username, password: PASSWORD, totp: backupCodes[0] });
  assert.equal(old.statusCode, 401);
  const ok = await new Client(t.app).post('/api/auth/login', { username: admin.user!.username, password: PASSWORD, totp: fresh[0] });
  assert.equal(ok.statusCode, 200);
  assert.equal((await events('totp.backup_codes')).length, 1);
});

test('two-factor is for admins: billers and dispatchers are refused its endpoints', async () => {
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(t.app, role);
    assert.equal((await c.get('/api/auth/totp')).statusCode, 403);
    assert.equal((await c.post('/api/auth/totp/setup')).statusCode, 403);
  }
});

test('"require two-factor for all admins": unenrolled admins are held at enrolment until they enrol', async () => {
  const boss = await enrolledAdmin();
  const patch = await boss.admin.patch('/api/settings', { requireAdminTotp: true });
  assert.equal(patch.statusCode, 200);
  assert.deepEqual(patch.json().settings, { requireAdminTotp: true });
  const rows = await events('settings.update');
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]!.details, { before: { requireTwoFactorForAdmins: false }, after: { requireTwoFactorForAdmins: true } });

  const other = await loginAs(t.app, 'admin');
  const session = await other.get('/api/auth/session');
  assert.equal(session.json().mustEnrolTotp, true);
  const api = await other.get('/api/users');
  assert.equal(api.statusCode, 403);
  assert.equal(api.json().error.code, 'totp_enrolment_required');
  const page = await other.get('/admin/users');
  assert.equal(page.statusCode, 303);
  assert.equal(page.headers.location, '/profile/2fa');
  assert.equal((await other.get('/profile/2fa')).statusCode, 200, 'the enrolment page stays open');

  const biller = await loginAs(t.app, 'biller');
  assert.equal((await biller.get('/api/auth/session')).json().mustEnrolTotp, false);
  assert.equal((await biller.get('/api/areas')).statusCode, 200);

  const { secret } = (await other.post('/api/auth/totp/setup')).json();
  assert.equal((await other.post('/api/auth/totp/confirm', { code: codeNow(secret) })).statusCode, 200);
  assert.equal((await other.get('/api/users')).statusCode, 200);
  assert.equal((await other.get('/api/auth/session')).json().mustEnrolTotp, false);
});

test('clock drift: a code one step old or ahead is accepted, two steps off is not', async () => {
  const { admin, secret } = await enrolledAdmin();
  t.clock.advance(60_000);
  const now = totpStep(t.clock.now());
  const login = (code: string) =>
    new Client(t.app).post('/api/auth/login', { username: admin.user!.username, password: PASSWORD, totp: code });
  assert.equal((await login(totpCode(secret, now + 2))).statusCode, 401, 'two steps ahead');
  assert.equal((await login(totpCode(secret, now - 1))).statusCode, 200, 'one step old');
  assert.equal((await login(totpCode(secret, now + 1))).statusCode, 200, 'one step ahead');
});
