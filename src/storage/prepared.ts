/**
 * Hot statements written once as SQL text (issue 14): no Kysely query building per call, and on
 * PostgreSQL a named prepared statement, parsed and planned once per connection instead of once
 * per call. A child scan's statements went from ~1 ms of Node CPU each to building nothing, and
 * PostgreSQL's CPU per scan fell by about a third (docs/benchmarks.md, fourth run).
 *
 * The name travels as a leading comment, `/*ps:NAME*\/ …`; PreparingClient (the pool's client
 * class) turns such a query into pg's `{ name, text, values }`. PGlite simply runs the text.
 * A statement's text must never change under its name within a process (names are module
 * constants), and a table's columns must not change while a server runs (`select *` results
 * are fixed at prepare time): migrations run before the server listens.
 */
import type net from 'node:net';
import pg from 'pg';
import { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

const MARK = '/*ps:';

/**
 * The pg pool behind a PostgreSQL database's Kysely instance (storage/database.ts): a statement
 * run outside a transaction goes straight to it, without Kysely's connection and executor layers
 * (~0.05 ms of Node CPU per call, issue 14). In a transaction, or on PGlite, Kysely runs it.
 */
const pools = new WeakMap<object, pg.Pool>();
export function runStatementsOn(db: object, pool: pg.Pool): void {
  pools.set(db, pool);
}

/** A named statement: `run(ex, params)` executes it with positional parameters ($1, $2, …). */
export function statement<R>(name: string, text: string): (ex: Executor, params: readonly unknown[]) => Promise<R[]> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad statement name ${name}`);
  const marked = `${MARK}${name}*/ ${text}`;
  return async (ex, params) => {
    const pool = pools.get(ex);
    // The same text as the Kysely path sends: pg refuses one name with two texts on a connection.
    if (pool) return (await pool.query<R & pg.QueryResultRow>({ name, text: marked, values: params as unknown[] })).rows;
    return (await ex.executeQuery<R>(CompiledQuery.raw(marked, [...params]))).rows;
  };
}

type QueryFn = (...args: unknown[]) => unknown;
/** Whether a statement sent now waits for the end of the loop's turn (the server sets it: holdStatementsWhen). */
let holdNow: () => boolean = () => false;

/**
 * Statements sent while `when()` is true leave at the end of the loop's turn: the connection's
 * socket is corked until setImmediate, after pg's own cork around the query's messages. The
 * backend the statement wakes then finds the server done with its turn, instead of taking the
 * core from it in the middle (docs/decisions/0042). The server holds them only while it serves
 * one request alone: under load a held statement would wait for long turns. One predicate per
 * process; the last server built sets it.
 */
export function holdStatementsWhen(when: () => boolean): void {
  holdNow = when;
}

function holdToTurnEnd(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: net.Socket } }).connection?.stream;
  if (!stream?.cork) return;
  stream.cork();
  setImmediate(() => stream.uncork());
}

/** pg.Client that sends marked statements as named prepared statements. */
export class PreparingClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query as unknown as QueryFn;
(PreparingClient.prototype as unknown as { query: QueryFn }).query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values] = args;
  if (holdNow()) holdToTurnEnd(this);
  if (typeof text === 'string' && text.startsWith(MARK) && (values === undefined || Array.isArray(values)) && args.length <= 2) {
    const name = text.slice(MARK.length, text.indexOf('*/'));
    return plainQuery.call(this, { name, text, values });
  }
  return plainQuery.apply(this, args);
};
