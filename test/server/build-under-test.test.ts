/**
 * The server-process tests start the build under test (ADR 0023): with TEST_DIST=1 the compiled
 * dist/src/server.js and dist/src/cli.js with plain node — no TypeScript loader, so nothing of
 * src/ can run in them —, else src/ through tsx.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeArgs, runNode, startServer } from './process.js';
import { testingDist } from '../helpers/under-test.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-under-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`server and CLI processes run ${testingDist ? 'dist/ with plain node (TEST_DIST=1)' : 'src/ through tsx'}`, async () => {
  const server = await startServer({ DATA_DIR: dir });
  try {
    const args = server.proc.spawnargs.slice(1);
    if (testingDist) {
      assert.deepEqual(args, [path.join('dist', 'src', 'server.js')]);
    } else {
      assert.deepEqual(args, ['--import', 'tsx', 'src/server.ts']);
    }
    assert.equal((await fetch(server.url('/health'))).status, 200);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  assert.deepEqual(
    nodeArgs(['src/cli.ts', 'help']),
    testingDist ? [path.join('dist', 'src', 'cli.js'), 'help'] : ['--import', 'tsx', 'src/cli.ts', 'help'],
  );
  assert.deepEqual(nodeArgs(['scripts/x.ts']), ['--import', 'tsx', 'scripts/x.ts'], 'other TypeScript still runs through tsx');
  const help = runNode(['src/cli.ts', 'help'], { DATA_DIR: dir });
  assert.equal(help.status, 0, help.out);
  assert.match(help.out, /backup --out FILE/);
});
