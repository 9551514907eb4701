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

/** `startAt`: where `t.clock` starts (default: now); on `rebuild`, it restarts the clock there first. */
export interface ClockStart {
  startAt?: Date | string;
}

export interface TestAppHandle {
  app: App;
  database: TestDatabase;
  /** Moves only when the test says so (lockout windows, session expiry, undo windows). */
  clock: ManualClock;
  /** Replaces the app (e.g. with other config) for the rest of the test. */
  rebuild(opts?: TestAppOptions & ClockStart): Promise<App>;
}

/**
 * `setup`: with `perFile`, runs once the app is built (the file's shared logins and data). Node 20 starts
 * top-level `before` hooks at once rather than one after another, so a file's own `before` cannot rely on `t.app`.
 */
export interface FileSetup {
  setup?: (t: TestAppHandle) => Promise<void>;
}

export function useTestApp(opts: TestAppOptions & ClockStart & FileSetup & { perFile?: boolean } = {}): TestAppHandle {
  const { startAt, setup, perFile, ...appOpts } = opts;
  const handle = { clock: new ManualClock(startAt ?? new Date()) } as TestAppHandle;
  handle.rebuild = async ({ startAt: restart, ...more }: TestAppOptions & ClockStart = {}) => {
    await handle.app?.close();
    if (restart !== undefined) handle.clock = new ManualClock(restart);
    handle.app = await buildTestApp(handle.database, { clock: handle.clock, ...appOpts, ...more });
    return handle.app;
  };
  before(async () => {
    handle.database = await openTestDatabase();
    if (perFile) {
      await handle.database.reset();
      await handle.rebuild();
      await setup?.(handle);
    }
  });
  if (!perFile) {
    beforeEach(async () => {
      await handle.database.reset();
      handle.clock = new ManualClock(startAt ?? new Date());
      await handle.rebuild();
    });
  }
  after(async () => {
    await handle.app?.close();
    await handle.database?.close();
  });
  return handle;
}
