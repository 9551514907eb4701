/**
 * Picks how live events travel between processes: Redis pub/sub when REDIS_URL is set, else
 * PostgreSQL LISTEN/NOTIFY, else (embedded PGlite: one process by construction) in memory.
 */
import type { Redis } from 'ioredis';
import { LiveHub, localTransport, type LiveTransport } from '../domain/live/live.js';
import type { Database } from './database.js';
import { postgresTransport } from './live.postgres.js';
import { redisTransport } from './live.redis.js';

export interface LiveTransportOptions {
  database: Database;
  databaseUrl: string | undefined;
  redis?: Redis | undefined;
  onError: (err: unknown) => void;
}

export function openLiveTransport(o: LiveTransportOptions): LiveTransport {
  if (o.redis) return redisTransport(o.redis, o.onError);
  if (o.database.engine === 'postgres' && o.databaseUrl) return postgresTransport(o.databaseUrl, o.database.db, o.onError);
  return localTransport();
}

/** The process's hub over the configured transport. */
export function createLiveHub(o: LiveTransportOptions): LiveHub {
  return new LiveHub(openLiveTransport(o), o.onError);
}
