/**
 * One lane of `npm test` on the embedded database (scripts/run-tests.mjs): one process that runs
 * test files one after another, each in a suite of its own, instead of one process per file, so
 * the start-up (tsx, the app's modules, PGlite's WASM, the schema compilers) is paid once per lane.
 * Lanes take the next file from a shared list (TT_LANE_FILES, longest first); a file is claimed
 * by creating its directory under TT_LANE_CLAIMS, so two lanes never run the same file.
 */
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '../..');
register('./hooks.mjs', import.meta.url, {
  data: { testDir: pathToFileURL(path.join(ROOT, 'test') + path.sep).href, shim: new URL('./shim.ts', import.meta.url).href },
});
const { startRecording, stopRecording } = await import('./shim.js');

const files: string[] = JSON.parse(process.env.TT_LANE_FILES ?? '[]');
const claims = process.env.TT_LANE_CLAIMS ?? '';
const timeoutMs = Number(process.env.TT_LANE_TIMEOUT_MS) || Number.POSITIVE_INFINITY;
if (!claims) throw new Error('TT_LANE_CLAIMS is not set: run through scripts/run-tests.mjs');

for (const [i, file] of files.entries()) {
  try {
    fs.mkdirSync(path.join(claims, String(i)));
  } catch {
    continue; // another lane runs it
  }
  const absolute = path.resolve(ROOT, file);
  const url = pathToFileURL(absolute).href;
  // Stack traces name the file by its path (source maps of tsx) or its URL (dist/ under TEST_DIST).
  const recording = startRecording(absolute, timeoutMs);
  let failure: unknown;
  try {
    await import(url);
  } catch (err) {
    failure = err;
  } finally {
    stopRecording();
  }
  if (failure === undefined && recording.strays.length > 0)
    failure = new Error(
      `${file} cannot share a process: ${recording.strays.join('\n')}\n(list it in ALONE in scripts/run-tests.mjs, or register the hook from a function the file calls)`,
    );
  if (failure !== undefined) {
    await test(file, () => {
      throw failure;
    });
    continue;
  }
  await describe(file, { concurrency: 1, timeout: Number.POSITIVE_INFINITY }, () => {
    for (const call of recording.calls) call();
  });
}

// Every file has run. A test that timed out can leave a handle open (a database still opening, a
// socket) that would keep the lane, and so the run, from ending: with a process per file, the
// runner's limit per file ended it. Give the event loop a minute to drain, then end the lane failed.
setTimeout(() => {
  console.error('# the lane still had open handles a minute after its last file (a test that timed out?): ending it');
  process.exit(1);
}, 60_000).unref();
