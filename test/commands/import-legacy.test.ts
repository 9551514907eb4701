/**
 * import-legacy (SPEC §13) against a database built from the old Flask schema
 * (test/fixtures/legacy-schema.sql), passwords hashed the way werkzeug does (pbkdf2:sha256 and
 * scrypt, computed here with node:crypto): what is copied and what not (and why), a second run
 * copies nothing new, the old passwords log in and are re-hashed to argon2id, the counters agree.
 * PostgreSQL only: the old system ran on PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { Client } from '../helpers/http.js';
import { scanChild } from '../helpers/scans.js';
import { importLegacy, formatSummary, TICKETS_NOT_MAPPED } from '../../src/commands/import-legacy.command.js';
import { runChecks } from '../../src/domain/check/check.service.js';
import { verifyWerkzeugHash } from '../../src/domain/users/werkzeug-hash.js';

/** werkzeug.security.gen_salt: letters and digits. */
const salt = () => Array.from(randomBytes(16), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62]).join('');
/** generate_password_hash(pw, 'pbkdf2:sha256:260000'): hex of PBKDF2-HMAC-SHA256, salt as text. */
const werkzeugPbkdf2 = (pw: string, iterations = 260000) => {
  const s = salt();
  return `pbkdf2:sha256:${iterations}$${s}$${pbkdf2Sync(pw, s, iterations, 32, 'sha256').toString('hex')}`;
};
/** generate_password_hash(pw) in werkzeug ≥ 3: scrypt:32768:8:1, 64-byte key. */
const werkzeugScrypt = (pw: string) => {
  const s = salt();
  return `scrypt:32768:8:1$${s}$${scryptSync(pw, s, 64, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex')}`;
};

const OLD_PASSWORD = 'OldSecret#2025';
const t = useTestApp({ perFile: true });

test('werkzeug hashes verify with the right password only', () => {
  for (const h of [werkzeugPbkdf2('pw-1', 1000), werkzeugScrypt('pw-1')]) {
    assert.equal(verifyWerkzeugHash(h, 'pw-1'), true);
    assert.equal(verifyWerkzeugHash(h, 'pw-2'), false);
    assert.equal(verifyWerkzeugHash(h.replace(/.$/, (c) => (c === '0' ? '1' : '0')), 'pw-1'), false);
  }
  assert.equal(verifyWerkzeugHash('bcrypt$x$00', 'pw-1'), false);
});

test('import-legacy copies the old site, twice is once, and old passwords log in', { skip: !usingPostgres && 'PostgreSQL only (TEST_DATABASE_URL)' }, async () => {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `tt_legacy_${process.pid}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  try {
    const legacy = new pg.Client({ connectionString: url.toString() });
    await legacy.connect();
    const fixture = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/legacy-schema.sql'), 'utf8')
      .replaceAll('{{PBKDF2}}', werkzeugPbkdf2(OLD_PASSWORD)).replaceAll('{{SCRYPT}}', werkzeugScrypt(OLD_PASSWORD));
    await legacy.query(fixture);
    await legacy.end();

    const first = await importLegacy(t.app.ctx, url.toString());
    const copied = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.copied]));
    assert.deepEqual(copied, { users: 3, bags: 6, links: 3, bills: 2, 'bill links': 2, scans: 6, 'audit log': 2, 'return tickets': 0 }, formatSummary(first).join('\n'));
    assert.deepEqual(first.users!.skipped, { 'never verified (could not log in)': 1, 'role employee does not exist here': 1 });
    assert.deepEqual(first.bags!.skipped, { 'type crate unknown': 1 });
    assert.deepEqual(first.bills!.skipped, { 'bill id not allowed here (3-50 of A-Z 0-9 space -_/.)': 1 });
    assert.deepEqual(first['bill links']!.skipped, { 'parent on two bills (older link kept)': 1 });
    assert.deepEqual(first['return tickets']!.skipped, { [TICKETS_NOT_MAPPED]: 1 }, 'old tickets are reported, never dropped silently');

    const bags = await sql<{ code: string; type: string; area_id: string; status: string; child_count: number; parent: string | null; bill: string | null; kind_id: string | null }>`
      select b.code, b.type, b.area_id, b.status, b.child_count, p.code as parent, bl.bill_id as bill, b.kind_id
      from bags b left join bags p on p.id = b.parent_id left join bills bl on bl.id = b.bill_id order by b.code`.execute(t.app.ctx.db);
    const byCode = Object.fromEntries(bags.rows.map((r) => [r.code, r]));
    assert.deepEqual([byCode.SB00001?.child_count, byCode.SB00001?.bill, byCode.SB00002?.bill, byCode.SB00002?.status], [2, 'BILL-001', 'BILL-001', 'completed']);
    assert.deepEqual([byCode.C0000002?.parent, byCode.C0000001?.area_id, byCode['M444-00001']?.area_id], ['SB00001', 'jaipur', 'jaipur'], 'codes upper-cased, areas inherited');
    assert.deepEqual([byCode['PAWAN GODARA 09']?.parent, byCode['PAWAN GODARA 09']?.kind_id], ['M444-00001', null], 'legacy free-text codes kept');
    const bills = await sql<{ bill_id: string; status: string; parent_count: number; child_count: number }>`
      select bill_id, status, parent_count, child_count from bills order by bill_id`.execute(t.app.ctx.db);
    assert.deepEqual(bills.rows, [
      { bill_id: 'BILL-001', status: 'completed', parent_count: 2, child_count: 2 },
      { bill_id: 'TRUCK 9', status: 'new', parent_count: 0, child_count: 0 },
    ]);
    const history = await sql<{ action: string; n: number }>`select action, count(*)::int as n from events
      where action like 'scan.%' or action like 'legacy.%' group by action order by action`.execute(t.app.ctx.db);
    assert.deepEqual(history.rows, [
      { action: 'legacy.import', n: 1 }, { action: 'legacy.login_success', n: 1 }, { action: 'legacy.role_change', n: 1 },
      { action: 'scan.child', n: 3 }, { action: 'scan.parent', n: 3 },
    ]);

    const second = await importLegacy(t.app.ctx, url.toString());
    assert.deepEqual(Object.values(second).map((r) => r.copied), [0, 0, 0, 0, 0, 0, 0, 0], `second run:\n${formatSummary(second).join('\n')}`);
    assert.equal(second.users!.skipped['already imported (same username)'], 3);
    assert.equal(second.bags!.skipped['already imported (same code)'], 6);

    assert.deepEqual((await runChecks(t.app.ctx)).flatMap((c) => c.differences), [], 'counters agree with a recount');
    for (const username of ['boss', 'billy', 'dina']) {
      const c = new Client(t.app);
      assert.equal((await c.login(username, 'wrong-password-1')).statusCode, 401);
      assert.equal((await c.login(username, OLD_PASSWORD)).statusCode, 200, `${username} logs in with the old password`);
      const h = await sql<{ h: string }>`select password_hash as h from users where username = ${username}`.execute(t.app.ctx.db);
      assert.match(h.rows[0]!.h, /^\$argon2id\$/, 're-hashed at the first login');
      assert.equal((await new Client(t.app).login(username, OLD_PASSWORD)).statusCode, 200, 'and logs in again with it');
    }
    const dina = new Client(t.app);
    await dina.login('dina', OLD_PASSWORD);
    assert.equal((await scanChild(dina, 'M444-00001', 'C0000009')).json().outcome, 'linked', 'imported parents take new scans');
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});
