/**
 * Upgrade from the previous release (0.1.0, migrations 0001–0005: landed migrations are never
 * edited, so that release's schema is exactly these files of migrations/): a database made and
 * filled by that release's schema, upgraded by this one's migrations, passes `tracetrack check`
 * and keeps working (log in, scan, bill). The rows are written in plain SQL against the old
 * schema, not through today's code, which may expect columns the old schema lacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrate, migrationFiles } from '../../src/storage/migrator.js';
import { hashPassword } from '../../src/domain/users/password.js';
import { checkCommand } from '../../src/commands/check.command.js';
import { usingPostgres } from '../helpers/database.js';
import { openEngine } from '../helpers/backup.js';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/http.js';
import { scanChild, scanParent } from '../helpers/scans.js';
import { linkParent } from '../helpers/bills.js';

/** The migrations release 0.1.0 shipped. */
const OLD = ['0001_accounts.sql', '0002_scanning.sql', '0003_bills.sql', '0004_admin.sql', '0005_dashboard.sql'];
const PASSWORD = 'old-release-pass-1';

test('a 0.1 database with data, upgraded by this release, passes tracetrack check and keeps working', async () => {
  const database = await openEngine(usingPostgres ? 'postgres' : 'pglite', false);
  try {
    const old = await migrate(database, undefined, { only: new Set(OLD) });
    assert.deepEqual(old.applied, OLD);
    const hash = await hashPassword(PASSWORD);
    await sql`insert into users (id, username, role, area_id, password_hash) values
      (1, 'old_admin', 'admin', null, ${hash}), (2, 'old_biller', 'biller', null, ${hash}), (3, 'old_disp', 'dispatcher', 'jaipur', ${hash})`.execute(
      database.db,
    );
    await sql`select setval('users_id_seq', 3)`.execute(database.db);
    await sql`insert into bills (id, bill_id, capacity, status, parent_count, child_count, actual_weight_kg, expected_weight_kg, created_by)
      values (1, 'OLD-1', 2, 'processing', 1, 2, 2, 30, 2)`.execute(database.db);
    await sql`select setval('bills_id_seq', 1)`.execute(database.db);
    await sql`insert into bags (id, code, type, kind_id, area_id, status, child_count, capacity, created_by, bill_id, bill_linked_at, bill_linked_by)
      values (1, 'SB00001', 'parent', 'SB', 'jaipur', 'pending', 2, 30, 3, 1, now(), 2),
             (2, 'SB00002', 'parent', 'SB', 'jaipur', 'pending', 0, 30, 3, null, null, null)`.execute(database.db);
    await sql`insert into bags (id, code, type, kind_id, area_id, status, parent_id, linked_by, linked_at, created_by)
      values (3, 'C0000001', 'child', 'CHILD', 'jaipur', 'linked', 1, 3, now(), 3),
             (4, 'C0000002', 'child', 'CHILD', 'jaipur', 'linked', 1, 3, now(), 3),
             (5, 'LEGACY-9', 'child', null, 'jaipur', 'unlinked', null, null, null, null)`.execute(database.db);
    await sql`select setval('bags_id_seq', 5)`.execute(database.db);
    await sql`insert into events (actor_id, actor_name, action, outcome, subject, related, area_id) values
      (3, 'old_disp', 'scan.parent', 'created', 'SB00001', null, 'jaipur'),
      (3, 'old_disp', 'scan.child', 'linked', 'C0000001', 'SB00001', 'jaipur'),
      (3, 'old_disp', 'scan.child', 'linked', 'C0000002', 'SB00001', 'jaipur')`.execute(database.db);

    const upgrade = await migrate(database);
    assert.deepEqual(
      upgrade.applied,
      migrationFiles().filter((f) => !old.applied.includes(f)),
      'only the new migrations ran',
    );

    const app = await buildTestApp(database);
    try {
      const lines: string[] = [];
      const code = await checkCommand(app.ctx, [], (l) => lines.push(l));
      assert.equal(code, 0, `tracetrack check after the upgrade:\n${lines.join('\n')}`);
      const disp = new Client(app);
      assert.equal((await disp.login('old_disp', PASSWORD)).statusCode, 200, 'old users log in');
      assert.equal((await scanParent(disp, 'SB00002')).statusCode, 200);
      assert.equal((await scanChild(disp, 'SB00002', 'C0000003')).json().outcome, 'linked');
      const biller = new Client(app);
      await biller.login('old_biller', PASSWORD);
      assert.equal((await linkParent(biller, 'OLD-1', 'SB00002')).json().outcome, 'linked');
      assert.equal(await checkCommand(app.ctx, [], () => {}), 0, 'and still agrees after new work');
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
});
