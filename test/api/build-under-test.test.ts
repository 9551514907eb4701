/**
 * Which build the API suites test (test/helpers/under-test.ts, ADR 0023). With TEST_DIST=1 the
 * app the helpers build must be made of dist/'s compiled modules — the ones `npm start` runs —
 * and none of the app's TypeScript source; without it, of src/ and nothing from dist/. And a
 * TEST_DIST run refuses a dist/ that is missing or older than src/, so it cannot test stale code.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestApp } from '../helpers/setup.js';
import { loginAs } from '../helpers/http.js';
import { appModule } from '../helpers/app.js';
import { loadedModules } from '../helpers/loaded-modules.js';
import { distProblem, testingDist, underTestFile } from '../helpers/under-test.js';

const t = useTestApp({ perFile: true });

/** The app proper: what `npm start` loads to answer requests (test helpers may use src/ services for fixtures). */
const APP_PARTS = /^(?:dist\/)?src\/(?:app|server|config|http\/.*|storage\/(?:database|migrator|pglite-dialect))\.(?:ts|js)$/;

test(`the app under test is built from ${testingDist ? 'dist/ (TEST_DIST=1)' : 'src/'}`, async () => {
  const admin = await loginAs(t.app, 'admin');
  assert.equal((await admin.get('/api/auth/session')).statusCode, 200, 'the app answers');
  const loaded = (await loadedModules()).filter((m) => APP_PARTS.test(m));
  const fromDist = loaded.filter((m) => m.startsWith('dist/'));
  const fromSrc = loaded.filter((m) => m.startsWith('src/'));
  const expected = testingDist ? fromDist : fromSrc;
  const wrong = testingDist ? fromSrc : fromDist;
  for (const part of ['src/app', 'src/config', 'src/storage/database', 'src/storage/migrator', 'src/http/api/auth.routes']) {
    const file = testingDist ? `dist/${part}.js` : `${part}.ts`;
    assert.ok(expected.includes(file), `${file} was loaded (loaded: ${loaded.join(', ')})`);
  }
  assert.deepEqual(wrong, [], `no part of the app from the other build (TEST_DIST=${process.env.TEST_DIST ?? ''})`);
  assert.equal(
    path.relative(path.resolve(import.meta.dirname, '../..'), underTestFile('app.js')),
    testingDist ? 'dist/src/app.js' : 'src/app.ts',
  );
  assert.equal(typeof appModule.buildApp, 'function');
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-under-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a dist/ that is missing, incomplete or older than src/ is refused with what to do', () => {
  const src = path.join(dir, 'src');
  const dist = path.join(dir, 'dist/src');
  fs.mkdirSync(path.join(src, 'http'), { recursive: true });
  fs.mkdirSync(path.join(src, 'client'), { recursive: true });
  fs.writeFileSync(path.join(src, 'app.ts'), 'export {};');
  fs.writeFileSync(path.join(src, 'http/routes.ts'), 'export {};');
  fs.writeFileSync(path.join(src, 'client/page.ts'), 'export {};'); // bundled elsewhere, never in dist/
  assert.match(distProblem(src, dist) ?? '', /dist\/src\/ is missing: run `npm run build` first|dist\/src\/? is missing/);
  fs.mkdirSync(path.join(dist, 'http'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'app.js'), 'export {};');
  assert.match(distProblem(src, dist) ?? '', /routes\.js is missing \(.*routes\.ts was never built\): run `npm run build`/);
  fs.writeFileSync(path.join(dist, 'http/routes.js'), 'export {};');
  assert.equal(distProblem(src, dist), undefined, 'built after every source: fresh');
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(src, 'http/routes.ts'), later, later);
  assert.match(distProblem(src, dist) ?? '', /routes\.js is older than .*routes\.ts: run `npm run build`/);
});
