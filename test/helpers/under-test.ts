/**
 * Which build of TraceTrack the suites test. By default the TypeScript source (src/, through
 * tsx). With TEST_DIST=1 the compiled JavaScript of `npm run build` (dist/src/, the modules
 * `npm start` runs): the test helpers then build the app, open and migrate the database and
 * start server and CLI processes from dist/ (docs/decisions/0023-testing-the-production-build.md).
 * A TEST_DIST run refuses to start when dist/ is missing or older than src/, so it can never
 * quietly test something other than the source it was run on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const testingDist = process.env.TEST_DIST === '1';
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist/src');
/** src/client is bundled by esbuild into public/build, not compiled into dist/ (tsconfig.build.json). */
const NOT_COMPILED = 'client';

function sources(dir: string, top = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === path.join(top, NOT_COMPILED) ? [] : sources(p, top);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Why dist/ cannot stand for src/ (missing, or a source file newer than its compiled file), or undefined. */
export function distProblem(src = SRC, dist = DIST): string | undefined {
  if (!fs.existsSync(dist)) return `${path.relative(ROOT, dist)}/ is missing: run \`npm run build\` first`;
  for (const file of sources(src)) {
    const compiled = path.join(dist, path.relative(src, file)).replace(/\.ts$/, '.js');
    if (!fs.existsSync(compiled))
      return `${path.relative(ROOT, compiled)} is missing (${path.relative(ROOT, file)} was never built): run \`npm run build\``;
    if (fs.statSync(compiled).mtimeMs < fs.statSync(file).mtimeMs) {
      return `${path.relative(ROOT, compiled)} is older than ${path.relative(ROOT, file)}: run \`npm run build\``;
    }
  }
  return undefined;
}

if (testingDist) {
  const problem = distProblem();
  if (problem) throw new Error(`TEST_DIST=1 tests the compiled build, but ${problem}`);
}

/** The file a module of the app is loaded from: `app.js` → src/app.ts, or dist/src/app.js under TEST_DIST. */
export function underTestFile(modulePath: string): string {
  return testingDist ? path.join(DIST, modulePath) : path.join(SRC, modulePath.replace(/\.js$/, '.ts'));
}

/** Imports a module of the app (path under src/, `.js` as in imports) from the build under test. */
export function loadUnderTest<M>(modulePath: string): Promise<M> {
  return import(pathToFileURL(underTestFile(modulePath)).href) as Promise<M>;
}

/** Node arguments that run an entry point (`src/server.ts`, `src/cli.ts`) of the build under test. */
export function entryArgs(entry: string): string[] {
  if (!/^src\/.+\.ts$/.test(entry)) return [entry];
  return testingDist ? [path.join('dist', entry.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', entry];
}
