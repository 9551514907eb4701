/**
 * A test app over the file's database: real plugins, real use cases, injected requests.
 * With TEST_REDIS_URL, sessions and rate limits live in Redis (a dedicated logical db).
 * The app comes from the build under test: src/, or dist/ with TEST_DIST=1 (under-test.ts).
 */
import { Redis } from 'ioredis';
import type { App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/lib/clock.js';
import type { TestDatabase } from './database.js';
import { loadUnderTest } from './under-test.js';
import { sharedCompilers } from './schema-compilers.js';

/** The app module the helpers build from (exported so a test can prove which build it is). */
export const appModule = await loadUnderTest<typeof import('../../src/app.js')>('app.js');
const { buildApp, LOG_REDACT } = appModule;
const { testConfig } = await loadUnderTest<typeof import('../../src/config.js')>('config.js');

export const redisUrl = process.env.TEST_REDIS_URL;

export interface TestAppOptions {
  config?: Partial<Config>;
  clock?: Clock;
  /** A pino destination stream, to read log lines in tests. */
  logStream?: NodeJS.WritableStream;
}

export async function buildTestApp(database: TestDatabase, opts: TestAppOptions = {}): Promise<App & { redis?: Redis }> {
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  if (redis) await redis.flushdb();
  const config = testConfig({ databaseUrl: database.url, ...opts.config });
  const logger = opts.logStream ? { level: 'info', stream: opts.logStream, redact: { paths: LOG_REDACT, censor: '[redacted]' } } : false;
  const app = await buildApp({
    config,
    database,
    redis,
    ...(opts.clock ? { clock: opts.clock } : {}),
    logger,
    compilersFactory: sharedCompilers as never,
  });
  if (!redis) return app;
  const close = app.close.bind(app);
  return Object.assign(app, {
    redis,
    close: async () => {
      await close();
      redis.disconnect();
    },
  }) as App & { redis: Redis };
}
