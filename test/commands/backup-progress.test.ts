/**
 * Progress of backup and restore (SPEC §13, issue 17: "progress on stderr for big databases"):
 * at most one line a second, so a small database stays quiet and a big table shows where it is;
 * the lines name the table and its rows done of its rows counted (src/cli.ts writes them to stderr).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { file, openEngine, populate } from '../helpers/backup.js';
import { throttled, writeBackup } from '../../src/commands/backup.command.js';
import { restoreBackup } from '../../src/commands/restore.command.js';

test('throttled: nothing before the interval, then one line per interval', async () => {
  const lines: string[] = [];
  const tick = throttled((l) => lines.push(l), 50);
  for (let i = 0; i < 100; i++) tick(() => `line ${i}`);
  assert.deepEqual(lines, [], 'a quick job prints nothing');
  await new Promise((r) => setTimeout(r, 60));
  tick(() => 'late');
  tick(() => 'right after');
  assert.deepEqual(lines, ['late']);
});

test('backup and restore report each table as rows done of rows counted', async () => {
  const source = await openEngine('pglite');
  const target = await openEngine('pglite', false);
  try {
    await populate(source);
    const out = file();
    const backupLines: string[] = [];
    await writeBackup(source, out, (l) => backupLines.push(l), 0);
    assert.ok(
      backupLines.some((l) => /^backup: bags \d+\/\d+ rows$/.test(l)),
      backupLines.join('\n'),
    );
    assert.ok(
      backupLines.every((l) => /^backup: \w+ \d+\/\d+ rows$/.test(l)),
      backupLines.join('\n'),
    );
    const quiet: string[] = [];
    await writeBackup(source, file(), (l) => quiet.push(l));
    assert.deepEqual(quiet, [], 'a small database stays quiet at the default second');
    const restoreLines: string[] = [];
    await restoreBackup(target, out, { progress: (l) => restoreLines.push(l), progressEveryMs: 0 });
    assert.ok(
      restoreLines.some((l) => /^restore: bags \d+\/\d+ rows$/.test(l)),
      restoreLines.join('\n'),
    );
  } finally {
    await source.close();
    await target.close();
  }
});
