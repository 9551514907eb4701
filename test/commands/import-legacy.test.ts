/**
 * import-legacy (SPEC §13) against a database built from the old Flask schema
 * (test/fixtures/legacy-schema.sql), passwords hashed the way werkzeug does (pbkdf2:sha256 and
 * scrypt, computed here with node:crypto): what is copied and what not (and why), a second run
 * copies nothing new, the old passwords log in and are re-hashed to argon2id, the counters agree,
 * and the old return tickets work as ours. Into both engines: this file's PostgreSQL database
 * and an embedded PGlite one. Needs TEST_DATABASE_URL: the old system (the source) ran on PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { App } from '../../src/app.js';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { buildTestApp } from '../helpers/app.js';
import { openEngine } from '../helpers/backup.js';
import { Client } from '../helpers/http.js';
import { scanChild } from '../helpers/scans.js';
import { commitTicket, getTicket, removeBag, ticketState } from '../helpers/returns.js';
import { importLegacy, formatSummary } from '../../src/commands/import-legacy.command.js';
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
    assert.equal(
      verifyWerkzeugHash(
        h.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        'pw-1',
      ),
      false,
    );
  }
  assert.equal(verifyWerkzeugHash('bcrypt$x$00', 'pw-1'), false);
});

/** The old database, built from the fixture once for the file (PostgreSQL only). */
const legacy = { url: '', drop: async () => {} };
before(async () => {
  if (!usingPostgres) return;
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const name = `tt_legacy_${process.pid}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  legacy.drop = async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  legacy.url = url.toString();
  const client = new pg.Client({ connectionString: legacy.url });
  await client.connect();
  const fixture = fs
    .readFileSync(path.resolve(import.meta.dirname, '../fixtures/legacy-schema.sql'), 'utf8')
    .replaceAll('{{PBKDF2}}', werkzeugPbkdf2(OLD_PASSWORD))
    .replaceAll('{{SCRYPT}}', werkzeugScrypt(OLD_PASSWORD));
  await client.query(fixture);
  await client.end();
});
after(() => legacy.drop());

const skip = !usingPostgres && 'PostgreSQL only (TEST_DATABASE_URL): the old site is a PostgreSQL database';
test('import-legacy into PostgreSQL: the old site, twice is once, old passwords log in, old tickets work', { skip }, () =>
  importsTheOldSite(t.app),
);
test('import-legacy into the embedded PGlite: the same', { skip }, async () => {
  const database = await openEngine('pglite');
  const app = await buildTestApp(database);
  try {
    await importsTheOldSite(app);
  } finally {
    await app.close();
    await database.close();
  }
});

async function importsTheOldSite(app: App) {
  const first = await importLegacy(app.ctx, legacy.url);
  const copied = Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.copied]));
  assert.deepEqual(
    copied,
    {
      users: 3,
      bags: 12,
      links: 4,
      bills: 2,
      'bill links': 3,
      scans: 6,
      'audit log': 2,
      'return tickets': 3,
      'returned bags': 4,
    },
    formatSummary(first).join('\n'),
  );
  assert.deepEqual(first.users!.skipped, { 'never verified (could not log in)': 1, 'role employee does not exist here': 1 });
  assert.deepEqual(first.bags!.skipped, { 'type crate unknown': 1 });
  assert.deepEqual(first.bills!.skipped, { 'bill id not allowed here (3-50 of A-Z 0-9 space -_/.)': 1 });
  assert.deepEqual(first['bill links']!.skipped, { 'parent on two bills (older link kept)': 1 });
  assert.deepEqual(
    first['return tickets']!.skipped,
    {
      'C&F location Mars is not an area here': 1,
      'committed, but none of its bags could be copied': 1,
      'ticket code not RTN-YYYYMMDD-XXXX': 1,
    },
    'what is not copied is said, with why',
  );
  assert.deepEqual(first['returned bags']!.skipped, {
    'no bill_return_event row: the bill and its figures are unknown': 1,
    'not a parent bag': 1,
    'on an open ticket but also on a bill': 1,
    'ticket not copied': 1,
  });
  const db = app.ctx.db;

  const bags = await sql<{
    code: string;
    type: string;
    area_id: string;
    status: string;
    child_count: number;
    parent: string | null;
    bill: string | null;
    kind_id: string | null;
  }>`
    select b.code, b.type, b.area_id, b.status, b.child_count, p.code as parent, bl.bill_id as bill, b.kind_id
    from bags b left join bags p on p.id = b.parent_id left join bills bl on bl.id = b.bill_id order by b.code`.execute(db);
  const byCode = Object.fromEntries(bags.rows.map((r) => [r.code, r]));
  assert.deepEqual(
    [byCode.SB00001?.child_count, byCode.SB00001?.bill, byCode.SB00002?.bill, byCode.SB00002?.status],
    [2, 'BILL-001', 'BILL-001', 'completed'],
  );
  assert.deepEqual(
    [byCode.C0000002?.parent, byCode.C0000001?.area_id, byCode['M444-00001']?.area_id],
    ['SB00001', 'jaipur', 'jaipur'],
    'codes upper-cased, areas inherited',
  );
  assert.deepEqual(
    [byCode['PAWAN GODARA 09']?.parent, byCode['PAWAN GODARA 09']?.kind_id],
    ['M444-00001', null],
    'legacy free-text codes kept',
  );
  const bills = await sql<{ bill_id: string; status: string; parent_count: number; child_count: number }>`
    select bill_id, status, parent_count, child_count from bills order by bill_id`.execute(db);
  assert.deepEqual(
    bills.rows.map((b) => [b.bill_id, b.status, b.parent_count, b.child_count]),
    [
      ['BILL-001', 'completed', 2, 2],
      ['TRUCK 9', 'processing', 1, 0],
    ],
  );
  const history = await sql<{ action: string; n: number }>`select action, count(*)::int as n from events
    where action like 'scan.%' or action like 'legacy.%' group by action order by action`.execute(db);
  assert.deepEqual(history.rows, [
    { action: 'legacy.import', n: 1 },
    { action: 'legacy.login_success', n: 1 },
    { action: 'legacy.role_change', n: 1 },
    { action: 'scan.child', n: 3 },
    { action: 'scan.parent', n: 3 },
  ]);

  // Return tickets: code upper-cased, location to area, status, counters, each bag in the ticket's state.
  const tickets = await sql<{
    code: string;
    status: string;
    area_id: string;
    notes: string | null;
    bag_count: number;
    child_count: number;
    weight_kg: number;
    closed: boolean;
    by: string;
  }>`
    select t.code, t.status, t.area_id, t.notes, t.bag_count, t.child_count, t.weight_kg, t.closed_at is not null as closed, u.username as by
    from return_tickets t left join users u on u.id = t.created_by order by t.code`.execute(db);
  assert.deepEqual(tickets.rows, [
    {
      code: 'RTN-20251207-A1B2',
      status: 'open',
      area_id: 'jaipur',
      notes: null,
      bag_count: 1,
      child_count: 0,
      weight_kg: 0,
      closed: false,
      by: 'billy',
    },
    {
      code: 'RTN-20251208-00FF',
      status: 'committed',
      area_id: 'sri_ganganagar',
      notes: 'Dealer Sharma, unsold',
      bag_count: 1,
      child_count: 1,
      weight_kg: 1,
      closed: true,
      by: 'billy',
    },
    {
      code: 'RTN-20251209-BEEF',
      status: 'cancelled',
      area_id: 'hisar',
      notes: null,
      bag_count: 0,
      child_count: 0,
      weight_kg: 0,
      closed: true,
      by: 'billy',
    },
  ]);
  const ticketBags = await sql<{
    ticket: string;
    code: string;
    state: string;
    bill: string;
    bill_row: boolean;
    put_back: string | null;
    by: string;
  }>`
    select t.code as ticket, b.code, rb.state, rb.original_bill_code as bill, rb.original_bill_id is not null as bill_row, rb.put_back, u.username as by
    from return_ticket_bags rb join return_tickets t on t.id = rb.ticket_id join bags b on b.id = rb.bag_id left join users u on u.id = rb.added_by
    order by t.code, b.code`.execute(db);
  assert.deepEqual(
    ticketBags.rows.map((r) => [r.ticket, r.code, r.state, r.bill, r.bill_row, r.put_back, r.by]),
    [
      ['RTN-20251207-A1B2', 'SB00004', 'open', 'TRUCK 9', true, null, 'billy'],
      ['RTN-20251208-00FF', 'SB00003', 'committed', 'BILL-001', true, null, 'billy'],
      ['RTN-20251209-BEEF', 'SB00005', 'cancelled', 'TRUCK 9', true, 'back_on_bill', 'billy'],
      ['RTN-20251209-BEEF', 'SB00006', 'cancelled', 'TRUCK 9', true, 'left_unbilled', 'billy'],
    ],
  );

  const second = await importLegacy(app.ctx, legacy.url);
  assert.deepEqual(
    Object.values(second).map((r) => r.copied),
    [0, 0, 0, 0, 0, 0, 0, 0, 0],
    `second run:\n${formatSummary(second).join('\n')}`,
  );
  assert.equal(second.users!.skipped['already imported (same username)'], 3);
  assert.equal(second.bags!.skipped['already imported (same code)'], 12);
  assert.equal(second['return tickets']!.skipped['already imported (same ticket code)'], 3);
  assert.equal(second['returned bags']!.skipped['already imported (same ticket)'], 6);
  assert.equal((await sql<{ n: number }>`select count(*)::int as n from return_ticket_bags`.execute(db)).rows[0]!.n, 4, 'no bag row twice');

  assert.deepEqual(
    (await runChecks(app.ctx)).flatMap((c) => c.differences),
    [],
    'counters (bags, bills, tickets) agree with a recount',
  );
  for (const username of ['boss', 'billy', 'dina']) {
    const c = new Client(app);
    assert.equal((await c.login(username, 'wrong-password-1')).statusCode, 401);
    assert.equal((await c.login(username, OLD_PASSWORD)).statusCode, 200, `${username} logs in with the old password`);
    const h = await sql<{ h: string }>`select password_hash as h from users where username = ${username}`.execute(db);
    assert.match(h.rows[0]!.h, /^\$argon2id\$/, 're-hashed at the first login');
    assert.equal((await new Client(app).login(username, OLD_PASSWORD)).statusCode, 200, 'and logs in again with it');
  }
  const dina = new Client(app);
  await dina.login('dina', OLD_PASSWORD);
  assert.equal((await scanChild(dina, 'M444-00001', 'C0000009')).json().outcome, 'linked', 'imported parents take new scans');

  // The imported tickets are ours: read with the old figures, a bag taken off goes back onto its bill, commit.
  const billy = new Client(app);
  await billy.login('billy', OLD_PASSWORD);
  const committed = await getTicket(billy, 'RTN-20251208-00FF');
  assert.equal(committed.statusCode, 200, committed.body);
  assert.deepEqual(
    committed
      .json()
      .bags.map((b: { code: string; billBefore: object; billAfter: object; childCount: number; weightKg: number }) => [
        b.code,
        b.childCount,
        b.weightKg,
        b.billBefore,
        b.billAfter,
      ]),
    [
      [
        'SB00003',
        1,
        1,
        { billId: 'BILL-001', status: 'completed', parentCount: 3, childCount: 3, actualWeightKg: 3, expectedWeightKg: 90 },
        { billId: 'BILL-001', status: 'completed', parentCount: 2, childCount: 2, actualWeightKg: 2, expectedWeightKg: 60 },
      ],
    ],
  );
  const off = await removeBag(billy, 'RTN-20251207-A1B2', 'SB00004');
  assert.equal(off.statusCode, 200, off.body);
  assert.deepEqual([off.json().putBack.outcome, off.json().bill?.billId, off.json().bill?.parentCount], ['back_on_bill', 'TRUCK 9', 2]);
  assert.equal(
    (await commitTicket(billy, 'RTN-20251207-A1B2')).json().error?.code,
    'ticket_empty',
    'an emptied ticket cannot be committed',
  );
  const emptied = await ticketState(app, 'RTN-20251207-A1B2');
  assert.deepEqual(
    [emptied.stored, emptied.recount],
    [
      { bagCount: 0, childCount: 0, weightKg: 0 },
      { bagCount: 0, childCount: 0, weightKg: 0 },
    ],
  );
  assert.deepEqual(
    (await runChecks(app.ctx)).flatMap((c) => c.differences),
    [],
    'and still agree after using them',
  );
}

test('import-legacy of a site older than the return tables: no tickets, nothing to report', { skip }, async () => {
  const url = new URL(legacy.url);
  url.pathname = `${url.pathname}_pre_ipt`;
  const base = new pg.Client({ connectionString: legacy.url });
  await base.connect();
  await base.query(`drop database if exists ${url.pathname.slice(1)}`);
  await base.query(`create database ${url.pathname.slice(1)} template ${new URL(legacy.url).pathname.slice(1)}`);
  const old = new pg.Client({ connectionString: url.toString() });
  await old.connect();
  await old.query('drop table bill_return_event, return_ticket_bag, return_ticket');
  await old.end();
  const database = await openEngine('pglite');
  const app = await buildTestApp(database);
  try {
    const summary = await importLegacy(app.ctx, url.toString());
    assert.deepEqual(
      [summary['return tickets'], summary['returned bags']],
      [
        { copied: 0, skipped: {} },
        { copied: 0, skipped: {} },
      ],
    );
    assert.equal(summary.bags!.copied, 12, 'the rest is copied as before');
  } finally {
    await app.close();
    await database.close();
    await base.query(`drop database if exists ${url.pathname.slice(1)} with (force)`);
    await base.end();
  }
});
