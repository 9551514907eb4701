/**
 * The production build (`npm run build`, run by `npm start`'s prestart and by CI before this
 * file): the compiled server starts with plain node — no TypeScript loader — on the embedded
 * database, serves the login page and its assets, logs in and takes a scan; the compiled CLI
 * answers too. Skipped when dist/ was not built (a plain test run).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { httpLogin, startServer } from './process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const built = fs.existsSync(path.join(ROOT, 'dist/src/server.js'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-dist-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the compiled server starts with plain node, logs in and scans', { skip: !built && 'dist/ not built (npm run build)' }, async () => {
  const server = await startServer({ DATA_DIR: dir, ADMIN_PASSWORD: 'Boss-of-the-floor-77' }, 90_000, ['dist/src/server.js']);
  try {
    const login = await httpLogin(server.url(''), 'admin', 'Boss-of-the-floor-77');
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const scan = await fetch(server.url('/api/scans/parent'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: login.cookie, 'x-csrf-token': login.csrfToken },
      body: JSON.stringify({ code: 'SB00001', scanId: randomUUID() }),
    });
    assert.equal(scan.status, 200, await scan.clone().text());
    assert.equal(((await scan.json()) as { outcome: string }).outcome, 'created');
    const page = await fetch(server.url('/login'));
    assert.equal(page.status, 200);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  const cli = spawnSync(process.execPath, ['bin/tracetrack.js', 'help'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dir },
  });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /backup --out FILE/);
});
