/**
 * A backup taken while people scan (PostgreSQL, where the server and the backup run at once)
 * is one snapshot: restored, every parent's count agrees with its links and the dashboard
 * counters with the rows (`tracetrack check`), though scans went on during the backup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { loginAs } from '../helpers/http.js';
import { scanChild, scanParent } from '../helpers/scans.js';
import { file, openEngine } from '../helpers/backup.js';
import { writeBackup } from '../../src/commands/backup.command.js';
import { restoreBackup } from '../../src/commands/restore.command.js';
import { runChecks } from '../../src/domain/check/check.service.js';
import { buildTestApp } from '../helpers/app.js';

const t = useTestApp({ perFile: true });

test('a backup during scanning is consistent', { skip: !usingPostgres && 'PostgreSQL only (TEST_DATABASE_URL)' }, async () => {
  const disp = await loginAs(t.app, 'dispatcher');
  for (let p = 1; p <= 4; p++) await scanParent(disp, `SB0000${p}`);
  let stop = false;
  let scans = 0;
  const scanning = (async () => {
    for (let i = 1; !stop && i < 5000; i++) {
      await scanChild(disp, `SB0000${(i % 4) + 1}`, `K${String(i).padStart(6, '0')}`);
      scans++;
    }
  })();
  while (scans < 20) await new Promise((r) => setTimeout(r, 20));
  const out = file();
  const before = scans;
  await writeBackup(t.database, out);
  stop = true;
  await scanning;
  assert.ok(scans > before, `scans went on during the backup (${before} → ${scans})`);

  const target = await openEngine('pglite', false);
  try {
    await restoreBackup(target, out);
    const app = await buildTestApp(target);
    try {
      assert.deepEqual(
        (await runChecks(app.ctx)).flatMap((c) => c.differences),
        [],
        'counters agree with the rows in the restored snapshot',
      );
      const r = await sql<{ linked: number; events: number }>`select (select count(*)::int from bags where type = 'child') as linked,
        (select count(*)::int from events where action = 'scan.child' and outcome = 'linked') as events`.execute(target.db);
      assert.equal(r.rows[0]!.linked, r.rows[0]!.events, 'every child in the backup has its history row and no more');
    } finally {
      await app.close();
    }
  } finally {
    await target.close();
  }
});
