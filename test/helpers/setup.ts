/**
 * The usual life of a test file: one migrated database for the file, emptied and given a fresh
 * app before each test (or one app for the whole file with `perFile`), all closed at the end.
 * Usage: `const t = useTestApp(); test('…', async () => { const c = await loginAs(t.app, 'admin'); … })`.
 */
import { after, before, beforeEach } from 'node:test';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/lib/clock.js';
import { buildTestApp, type TestAppOptions } from './app.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export interface TestAppHandle {
  app: App;
  database: TestDatabase;
  /** Moves only when the test says so (lockout windows, session expiry, undo windows). */
  clock: ManualClock;
  /** Replaces the app (e.g. with other config) for the rest of the test. */
  rebuild(opts?: TestAppOptions): Promise<App>;
}

export function useTestApp(opts: TestAppOptions & { perFile?: boolean } = {}): TestAppHandle {
  const handle = { clock: new ManualClock(new Date()) } as TestAppHandle;
  handle.rebuild = async (more: TestAppOptions = {}) => {
    await handle.app?.close();
    handle.app = await buildTestApp(handle.database, { clock: handle.clock, ...opts, ...more });
    return handle.app;
  };
  before(async () => {
    handle.database = await openTestDatabase();
    if (opts.perFile) {
      await handle.database.reset();
      await handle.rebuild();
    }
  });
  if (!opts.perFile) {
    beforeEach(async () => {
      await handle.database.reset();
      handle.clock = new ManualClock(new Date());
      await handle.rebuild();
    });
  }
  after(async () => {
    await handle.app?.close();
    await handle.database?.close();
  });
  return handle;
}
