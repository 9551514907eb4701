/**
 * What a driver error means, decided here so that no other layer knows SQLSTATEs or socket
 * error names: `unavailable` (the database or Redis is away: retry later, nothing was decided),
 * `bad_input` (a value the database cannot store), or undefined (a real bug).
 */
export type StorageErrorKind = { kind: 'unavailable'; service: 'database' | 'redis' } | { kind: 'bad_input' };

/** Thrown by the Redis-backed stores when Redis does not answer (docs/decisions/0022). */
export class RedisUnavailableError extends Error {
  constructor(cause: unknown) {
    super('Redis is unavailable', { cause });
    this.name = 'RedisUnavailableError';
  }
}

// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting / shutting
// down), 53300 too many connections, class 08 connection exceptions.
const UNAVAILABLE_SQLSTATE = /^(57P0[123]|53300|08[0-9A-Z]{3})$/;
const UNAVAILABLE_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// node-postgres reports a lost or refused connection with plain Errors and these messages.
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Connection terminated unexpectedly|Query read timeout)/;

export function classifyStorageError(err: unknown): StorageErrorKind | undefined {
  if (err instanceof RedisUnavailableError) return { kind: 'unavailable', service: 'redis' };
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^22[0-9A-Z]{3}$/.test(code)) return { kind: 'bad_input' };
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code)) return { kind: 'unavailable', service: 'database' };
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return { kind: 'unavailable', service: 'database' };
  // Node 20 reports a refused connection to every resolved address as one AggregateError.
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => classifyStorageError(x)?.kind === 'unavailable')) {
    return { kind: 'unavailable', service: 'database' };
  }
  return undefined;
}

/** True when the process start failed only because the database could not be reached. */
export const isDatabaseUnavailable = (err: unknown) => classifyStorageError(err)?.kind === 'unavailable';

/** A deadlock (40P01) or serialization failure (40001): the transaction can simply run again. */
export const isRetryableConflict = (err: unknown): boolean =>
  !!err && typeof err === 'object' && ['40P01', '40001'].includes(String((err as { code?: unknown }).code));
