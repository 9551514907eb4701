/**
 * Live events over PostgreSQL LISTEN/NOTIFY: every process sharing the database receives every
 * batch. Sending is one pg_notify through the pool per batch (the hub batches, so 200 scanners
 * cause a few NOTIFYs a second per process, not one per scan: NOTIFY takes a database-wide
 * lock at commit, which one NOTIFY per scan transaction would make every scanner queue on).
 * Receiving is one dedicated connection per process, opened on the first subscriber and
 * reopened with a growing pause whenever it breaks (PostgreSQL restart, network).
 */
import pg from 'pg';
import { sql } from 'kysely';
import type { LiveEvent, LiveTransport } from '../domain/live/live.js';
import type { Db } from './database.js';

export const LIVE_CHANNEL = 'tt_live';
const MAX_PAUSE_MS = 10_000;

export function postgresTransport(url: string, db: Db, onError: (err: unknown) => void): LiveTransport {
  let client: pg.Client | undefined;
  let started: Promise<void> | undefined;
  let closed = false;
  let pause = 250;
  let retry: NodeJS.Timeout | undefined;
  let onBatch: (batch: LiveEvent[]) => void = () => {};

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'tracetrack-live' });
    c.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      try {
        onBatch(JSON.parse(msg.payload) as LiveEvent[]);
      } catch (err) {
        onError(err);
      }
    });
    c.on('error', (err) => {
      onError(err);
      broken(c);
    });
    c.on('end', () => broken(c));
    try {
      await c.connect();
      await c.query(`listen ${LIVE_CHANNEL}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    if (closed) return void c.end().catch(() => {});
    client = c;
    pause = 250;
  }

  /** The listening connection broke: drop it and try again after a pause. */
  function broken(c: pg.Client): void {
    if (c !== client) return;
    client = undefined;
    c.end().catch(() => {});
    schedule();
  }

  function schedule(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err) => {
        onError(err);
        schedule();
      });
    }, pause);
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }

  return {
    async send(batch) {
      await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(batch)})`.execute(db);
    },
    start(handler) {
      onBatch = handler;
      // A first connection that fails is retried in the background; subscribers do not wait for it.
      started ??= connect().catch((err) => {
        onError(err);
        schedule();
      });
      return started;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
