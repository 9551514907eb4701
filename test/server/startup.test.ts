/**
 * The newcomer's path, with real processes on the embedded database: first start creates and
 * prints the admin password once; restarts keep data; start-up accounts follow SPEC §6; the data
 * directory admits one process; the CLI recovers the admin.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpLogin, runNode, startServer } from './process.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-start-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const bannerPassword = (out: string) => /password: (\S+)/.exec(out)?.[1];

test('first start prints a generated admin password once; a restart prints none and keeps the data', async () => {
  const dir = tempDir();
  const first = await startServer({ DATA_DIR: dir });
  const password = bannerPassword(first.output());
  assert.ok(password && password.length >= 16, `banner with a password:\n${first.output()}`);
  assert.equal(first.output().split(password).length - 1, 1, 'printed exactly once');
  const page = await fetch(first.url('/login'));
  assert.equal(page.status, 200);
  assert.equal((await httpLogin(first.url(''), 'admin', password)).status, 200);

  // A second process on the same data directory is refused with a clear message.
  const second = runNode(['src/server.ts'], { DATA_DIR: dir, PORT: '0' });
  assert.equal(second.status, 1);
  assert.match(second.out, /in use by another TraceTrack process/);

  assert.equal(await first.stop(), 0, 'SIGTERM stops cleanly');
  const again = await startServer({ DATA_DIR: dir });
  try {
    assert.doesNotMatch(again.output(), /password:/);
    assert.equal((await httpLogin(again.url(''), 'admin', password)).status, 200, 'same admin, same data');
  } finally {
    await again.stop();
  }
});

test('ADMIN_PASSWORD creates the admin once and never overwrites it later', async () => {
  const dir = tempDir();
  const s1 = await startServer({ DATA_DIR: dir, ADMIN_PASSWORD: 'first-boss-pass-1' });
  assert.doesNotMatch(s1.output(), /password:/);
  assert.equal((await httpLogin(s1.url(''), 'admin', 'first-boss-pass-1')).status, 200);
  await s1.stop();
  const s2 = await startServer({ DATA_DIR: dir, ADMIN_PASSWORD: 'second-boss-pass-2' });
  try {
    assert.equal((await httpLogin(s2.url(''), 'admin', 'second-boss-pass-2')).status, 401);
    assert.equal((await httpLogin(s2.url(''), 'admin', 'first-boss-pass-1')).status, 200);
  } finally {
    await s2.stop();
  }
});

test('CREATE_TEST_USERS: refused without passwords, creates biller1 and dispatcher1 with them', async () => {
  const dir = tempDir();
  const refused = runNode(['src/server.ts'], { DATA_DIR: dir, CREATE_TEST_USERS: 'true' });
  assert.equal(refused.status, 1);
  assert.match(refused.out, /BILLER_PASSWORD is required/);
  assert.match(refused.out, /DISPATCHER_PASSWORD is required/);
  const s = await startServer({
    DATA_DIR: dir,
    ADMIN_PASSWORD: 'the-boss-pass-123',
    CREATE_TEST_USERS: 'true',
    BILLER_PASSWORD: 'counting-bills-123',
    DISPATCHER_PASSWORD: 'a-dispatch-pass-123',
  });
  try {
    const b = await httpLogin(s.url(''), 'biller1', 'counting-bills-123');
    assert.equal(b.status, 200);
    const d = await httpLogin(s.url(''), 'dispatcher1', 'a-dispatch-pass-123');
    assert.equal(d.status, 200);
    assert.deepEqual((d.body as { user: { area: string } }).user.area, 'lucknow');
  } finally {
    await s.stop();
  }
});

test('start-up refuses bad settings with clear messages', () => {
  const dir = tempDir();
  const workers = runNode(['src/server.ts'], { DATA_DIR: dir, WORKERS: '2' });
  assert.equal(workers.status, 1);
  assert.match(workers.out, /WORKERS>1 needs DATABASE_URL/);
  const weak = runNode(['src/server.ts'], { DATA_DIR: dir, ADMIN_PASSWORD: 'password1' });
  assert.equal(weak.status, 1);
  assert.match(weak.out, /Start-up refused: .*Password/);
  const many = runNode(['src/server.ts'], { DATA_DIR: dir, PORT: 'x', LOG_LEVEL: 'shout' });
  assert.equal(many.status, 1);
  assert.match(many.out, /PORT must be/);
  assert.match(many.out, /LOG_LEVEL must be/);
});

test('CLI: migrate, create-user and reset-password recover access', async () => {
  const dir = tempDir();
  const env = { DATA_DIR: dir };
  const migrate = runNode(['src/cli.ts', 'migrate'], env);
  assert.equal(migrate.status, 0, migrate.out);
  assert.match(migrate.out, /Applied: 0001_accounts\.sql/);
  assert.match(runNode(['src/cli.ts', 'migrate'], env).out, /up to date/);
  const bad = runNode(['src/cli.ts', 'create-user', '--username', 'kim'], env);
  assert.equal(bad.status, 2);
  assert.match(bad.out, /needs --username and --role/);
  const created = runNode(['src/cli.ts', 'create-user', '--username', 'kim_b', '--role', 'biller'], env);
  assert.equal(created.status, 0, created.out);
  const kimPassword = /Password \(shown once\): (\S+)/.exec(created.out)?.[1];
  assert.ok(kimPassword);
  const noArea = runNode(
    ['src/cli.ts', 'create-user', '--username', 'dee', '--role', 'dispatcher', '--password', 'dispatch-pass-456'],
    env,
  );
  assert.equal(noArea.status, 1);
  assert.match(noArea.out, /area_required/);
  assert.equal(runNode(['src/cli.ts', 'reset-password', 'nobody'], env).status, 1);

  const s = await startServer({ ...env, ADMIN_PASSWORD: 'original-boss-pw-1' });
  await s.stop();
  const reset = runNode(['src/cli.ts', 'reset-password', 'admin'], env);
  assert.equal(reset.status, 0, reset.out);
  const newPassword = /New password \(shown once\): (\S+)/.exec(reset.out)?.[1];
  assert.ok(newPassword);
  const s2 = await startServer(env);
  try {
    assert.equal((await httpLogin(s2.url(''), 'admin', 'original-boss-pw-1')).status, 401);
    assert.equal((await httpLogin(s2.url(''), 'admin', newPassword)).status, 200);
    assert.equal((await httpLogin(s2.url(''), 'kim_b', kimPassword)).status, 200);
  } finally {
    await s2.stop();
  }
});
