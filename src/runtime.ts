/**
 * Opening what a process needs, shared by server.ts and cli.ts: the database (migrated), the
 * session secret in embedded mode, Redis when configured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { migrate } from './storage/migrator.js';
import { syncCounterZone } from './storage/dashboard.repository.js';

export function pgliteDirOf(config: Config): string {
  return path.join(config.dataDir, 'pglite');
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    poolSize: config.dbPoolSize,
    pgliteDir: pgliteDirOf(config),
  });
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
