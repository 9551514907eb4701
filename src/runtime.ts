/**
 * Opening what a process needs, shared by app.ts, server.ts and cli.ts: the database (migrated),
 * the session secret in embedded mode, Redis when configured, and the use cases' Ctx.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { batchScanCalls } from './storage/scans.repository.js';
import { migrate } from './storage/migrator.js';
import { syncCounterZone } from './storage/dashboard.repository.js';
import { databaseSessionStore } from './storage/sessions.repository.js';
import { cachedSessions } from './domain/auth/session-cache.js';
import { redisSessionStore } from './storage/sessions.redis.js';
import type { Ctx } from './domain/context.js';
import type { LivePublisher } from './domain/live/live.js';
import { KindsCache } from './domain/kinds/kinds-cache.js';
import { systemClock, type Clock } from './lib/clock.js';
import { sealerFromSecret } from './lib/seal.js';

export function pgliteDirOf(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    poolSize: config.dbPoolSize,
    pgliteDir: pgliteDirOf(config),
  });
  batchScanCalls(database.db, config.scanCallSlots, config.rememberedParents);
  try {
    await migrate(database);
    // "Scans today" is kept per day of DISPLAY_TIMEZONE: rebuilt once when that zone changed.
    await syncCounterZone(database.db, config.displayTimezone);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/**
 * Embedded mode keeps a generated secret in the data directory (mode 0600) so cookies survive
 * restarts; with DATABASE_URL, config.ts has already required SESSION_SECRET.
 */
export function resolveSessionSecret(config: Config): Config {
  if (config.sessionSecret) return config;
  const file = path.join(config.dataDir, 'session-secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  const sessionSecret = fs.readFileSync(file, 'utf8').trim();
  return Object.freeze({ ...config, sessionSecret });
}

export function openRedis(config: Config): Redis | undefined {
  if (!config.redisUrl) return undefined;
  // Commands fail fast while Redis is away instead of queueing forever; it reconnects by itself.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', () => {});
  return redis;
}

export interface CtxParts {
  config: Config;
  database: Database;
  redis?: Redis | undefined;
  clock?: Clock;
  live?: LivePublisher;
}

/**
 * The one place a Ctx is assembled (app, start-up, CLI): sessions in Redis when it is there,
 * otherwise in the database; the sealer when there is a session secret; live events when given.
 */
export function createCtx({ config, database, redis, clock = systemClock, live }: CtxParts): Ctx {
  return {
    db: database.db,
    lookups: database.lookups,
    clock,
    sessions: cachedSessions(redis ? redisSessionStore(redis) : databaseSessionStore(database.db), config.sessionCacheMs, () =>
      clock.now().getTime(),
    ),
    sessionPolicy: { idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionAbsoluteHours * 3_600_000 },
    kinds: new KindsCache(),
    ...(config.sessionSecret ? { sealer: sealerFromSecret(config.sessionSecret, 'totp-secret') } : {}),
    ...(live ? { live } : {}),
  };
}
