/**
 * Bad backup files and refusals (SPEC §13): --verify catches a truncated, a damaged and an
 * edited file; restoring one changes nothing; restore refuses a database with data unless
 * --force, and a backup from a newer schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'kysely';
import { usingPostgres } from '../helpers/database.js';
import { file, historyGuardOn, openEngine, populate, rewrite } from '../helpers/backup.js';
import { verifyBackup, writeBackup } from '../../src/commands/backup.command.js';
import { restoreBackup, RestoreRefused } from '../../src/commands/restore.command.js';
import { BackupFileError } from '../../src/lib/backup-file.js';

/** A backup of a populated database. */
let sample: Promise<string> | undefined;
const sampleBackup = () => (sample ??= makeSample());
async function makeSample(): Promise<string> {
  const source = await openEngine(usingPostgres ? 'postgres' : 'pglite');
  try {
    await populate(source);
    const out = file();
    await writeBackup(source, out);
    return out;
  } finally {
    await source.close();
  }
}

test('--verify catches a truncated, a damaged and an edited file; restore of a bad file changes nothing', async () => {
  const good = await sampleBackup();
  const bytes = fs.readFileSync(good);
  const truncated = file();
  fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(verifyBackup(truncated), BackupFileError);
  const damaged = file();
  const copy = Buffer.from(bytes);
  copy[Math.floor(copy.length / 2)]! ^= 0xff;
  fs.writeFileSync(damaged, copy);
  await assert.rejects(verifyBackup(damaged), BackupFileError);
  // A valid gzip whose text was changed: the checksum (or a count) no longer agrees.
  const edited = rewrite(good, (l) => l.map((x) => x.replace('SB00001', 'SB00099')));
  await assert.rejects(verifyBackup(edited), /checksum/);
  const cut = rewrite(good, (l) => [...l.slice(0, l.length - 3), ...l.slice(l.length - 2)]);
  await assert.rejects(verifyBackup(cut), BackupFileError);
  const noTrailer = rewrite(good, (l) => l.slice(0, l.length - 2));
  await assert.rejects(verifyBackup(noTrailer), /ends early/);

  const target = await openEngine('pglite');
  try {
    await assert.rejects(restoreBackup(target, truncated), BackupFileError);
    const users = await sql<{ n: number }>`select count(*)::int as n from users`.execute(target.db);
    assert.equal(users.rows[0]!.n, 0, 'a failed restore leaves nothing behind');
    assert.ok(await historyGuardOn(target), 'and the history guard is on');
  } finally {
    await target.close();
  }
});

test('restore refuses a database with data unless --force, and a backup from a newer schema', async () => {
  const good = await sampleBackup();
  const target = await openEngine('pglite');
  try {
    await restoreBackup(target, good);
    await sql`update users set email = 'changed@example.org'`.execute(target.db);
    await assert.rejects(restoreBackup(target, good), (e: Error) => e instanceof RestoreRefused && /already has data/.test(e.message));
    const kept = await sql<{ n: number }>`select count(*)::int as n from users where email = 'changed@example.org'`.execute(target.db);
    assert.equal(kept.rows[0]!.n, 3, 'a refused restore changes nothing');
    const forced = await restoreBackup(target, good, { force: true });
    assert.ok(forced.rows > 20);
    const after = await sql<{ n: number }>`select count(*)::int as n from users where email = 'changed@example.org'`.execute(target.db);
    assert.equal(after.rows[0]!.n, 0, 'with --force the backup replaced the data');
    assert.ok(await historyGuardOn(target));

    const future = rewrite(good, (l) => {
      const h = JSON.parse(l[0]!);
      h.migrations.push('9999_future.sql');
      return [JSON.stringify(h), ...l.slice(1)];
    });
    await assert.rejects(restoreBackup(target, future, { force: true }), /newer TraceTrack/);
  } finally {
    await target.close();
  }
});
