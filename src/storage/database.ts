/**
 * Opens the one database behind a single Kysely type: PostgreSQL when a URL is given,
 * otherwise embedded PGlite in the data directory (locked against a second process).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGliteDialect } from './pglite-dialect.js';
import { lockDataDir } from './data-dir-lock.js';
import { coalescingStream } from './pg-socket.js';
import { PreparingClient, runStatementsOn } from './prepared.js';
import type { Tables } from './tables.js';

export type Db = Kysely<Tables>;
export type Tx = Transaction<Tables>;
/** Either the pool or a transaction: repository functions that do not lock take this. */
export type Executor = Db | Tx;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly engine: 'postgres' | 'pglite';
  readonly db: Db;
  /**
   * Read-only look-ups that answer fast or not at all (the contains search). On PostgreSQL a
   * pool of its own (LOOKUP_POOL_SIZE per process) whose sessions cancel a statement after
   * LOOKUP_TIMEOUT_MS and plan no sequential scan, so a look-up is one round trip with no
   * transaction around it. On PGlite, which has no statement timer, it is `db`.
   */
  readonly lookups: Db;
  /**
   * Runs a multi-statement SQL script (migrations) on a connection already held by the caller
   * through `db.connection()`, so nothing interleaves with it.
   */
  execScript(conn: Executor | Kysely<Tables>, text: string): Promise<void>;
  poolStats(): PoolStats;
  /** One round trip, failing after `timeoutMs` (health checks). */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Opens every pooled connection before the server listens: a restart during a shift meets 200
   * scanners at once, who would otherwise wait while PostgreSQL starts a backend for each
   * (measured: seconds of queueing); the look-up connections also make their first trigram search.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  poolSize?: number;
  /** Embedded data directory; `memory://` keeps it in memory (tests). */
  pgliteDir?: string;
  /**
   * A data directory dumped by `dumpPGliteTemplate` to start from instead of an empty one:
   * tests start each file from one migrated copy (a fresh PGlite costs ~5 s of CPU, a load ~1 s).
   */
  pgliteTemplate?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10)
    : openPGlite(opts.pgliteDir ?? 'memory://', opts.pgliteTemplate);
}

/** The data directory of an open embedded database, as a tarball for `pgliteTemplate`. */
export async function dumpPGliteTemplate(database: Database): Promise<Blob> {
  const lite = pgliteOf.get(database);
  if (!lite) throw new Error('dumpPGliteTemplate needs an embedded (PGlite) database');
  return lite.dumpDataDir('none');
}

const pgliteOf = new WeakMap<Database, PGlite>();

/** A look-up statement running longer than this is cancelled (it then finds nothing). */
export const LOOKUP_TIMEOUT_MS = 20;
const LOOKUP_POOL_SIZE = 2;

function openPool(url: string, max: number, options?: string): pg.Pool {
  // int8 and numeric stay strings (default); timestamps become Dates.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Never closed for being idle: a connection reopened at the next burst is a new backend whose
    // first statements plan and fill its caches again, while the scans queued behind it wait
    // (docs/decisions/0037: a paced minute's worst second began as two were reopened). warmUp()
    // opens them all.
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    stream: coalescingStream, // one write per query instead of five (pg-socket.ts)
    Client: PreparingClient, // hot statements as named prepared statements (prepared.ts)
    ...(options ? { options } : {}),
  });
  // A dropped idle connection (PostgreSQL restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // A connection checked out between two statements (inside a transaction) has no listener of
  // the pool's: when PostgreSQL terminates it, the client's 'error' event would be unhandled and
  // end the process (issue 12). Its next query fails instead, the request answers 503
  // (storage/errors.ts) and the pool drops the broken client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function openAll(pool: pg.Pool, n: number, warm?: string): Promise<void> {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  await Promise.all(clients.map((c) => c.query('select 1')));
  // Best effort: a database not migrated yet has nothing to warm. The statements run as one
  // implicit transaction, so a failed one also takes back their SET.
  if (warm) await Promise.all(clients.map((c) => c.query(warm).catch(() => undefined)));
  for (const c of clients) c.release();
}

/**
 * A look-up connection's first trigram search loads pg_trgm and the two indexes' metadata into
 * its new backend, and could pass the look-up bound: 1 of 8 searches right after a start came
 * back without bill suggestions (docs/lookups.md). Each look-up connection does it once at
 * warm-up, unbounded, on a pattern no code holds.
 */
const WARM_LOOKUPS = `set statement_timeout = 0;
  select 1 from bags where code like '%ZQXJ%' limit 1; select 1 from bills where bill_id like '%ZQXJ%' limit 1;
  reset statement_timeout`;

function openPostgres(url: string, max: number): Database {
  const pool = openPool(url, max);
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  runStatementsOn(db, pool);
  // Session settings sent at connect: a sequential scan with LIMIT bets on finding rows early
  // and loses badly on a rare pattern at 2M bags; the timer bounds a pattern that is everywhere.
  const lookupPool = openPool(url, LOOKUP_POOL_SIZE, `-c statement_timeout=${LOOKUP_TIMEOUT_MS} -c enable_seqscan=off`);
  const lookups = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: lookupPool }) });
  return {
    engine: 'postgres',
    db,
    lookups,
    async execScript(conn, text) {
      await sql.raw(text).execute(conn);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: (timeoutMs = 3000) => withTimeout(sql`select 1`.execute(db), timeoutMs),
    async warmUp() {
      await Promise.all([openAll(pool, max), openAll(lookupPool, LOOKUP_POOL_SIZE, WARM_LOOKUPS)]);
    },
    async close() {
      // The pools are opened here, so they are ended here: Kysely's destroy() ends a pool only
      // once it has run a query through it, while warmUp() and the named statements (prepared.ts)
      // use the pools directly, and their connections never time out. A second close() is a no-op.
      await Promise.all([pool, lookupPool].filter((p) => !p.ending).map((p) => p.end()));
    },
  };
}

async function openPGlite(dir: string, template?: Blob): Promise<Database> {
  let unlock = () => {};
  if (!dir.startsWith('memory://')) {
    fs.mkdirSync(dir, { recursive: true }); // PGlite does not create parent directories
    unlock = lockDataDir(path.dirname(dir));
  }
  let lite: PGlite;
  try {
    // pg_trgm backs the contains search (migration 0005); PGlite loads contrib extensions on request.
    lite = await PGlite.create(dir, {
      parsers: { [types.INT8]: (v: string) => v },
      extensions: { pg_trgm },
      ...(template ? { loadDataDir: template } : {}),
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(lite) });
  const database: Database = {
    engine: 'pglite',
    db,
    lookups: db,
    async execScript(_conn, text) {
      // The caller holds the dialect's single connection, so PGlite's script API is safe here.
      await lite.exec(text);
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    ping: (timeoutMs = 3000) => withTimeout(sql`select 1`.execute(db), timeoutMs),
    warmUp: async () => {},
    async close() {
      await db.destroy();
      await lite.close();
      unlock();
    },
  };
  pgliteOf.set(database, lite);
  return database;
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('database timeout'), { code: 'ETIMEDOUT' })), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
