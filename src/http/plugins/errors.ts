/**
 * The one map from domain error codes to HTTP statuses, and the error handler: JSON
 * `{error:{code,message}}` under /api, a friendly page elsewhere, a bare 500 (logged with the
 * request id) for anything unknown.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorCode } from '../../domain/errors.js';
import { errorPage } from '../pages/views/error.view.js';
import { classifyStorageError } from '../../storage/errors.js';

/** Seconds a client is told to wait when the database or Redis is away (they reconnect by themselves). */
export const RETRY_AFTER_SECONDS = 2;

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_format: 400,
  weak_password: 400,
  area_required: 400,
  validation_failed: 400,
  invalid_credentials: 401,
  invalid_current_password: 400,
  not_authenticated: 401,
  csrf_failed: 403,
  wrong_area: 403,
  forbidden: 403,
  parent_not_found: 404,
  bag_not_found: 404,
  bill_not_found: 404,
  not_found: 404,
  wrong_bag_type: 409,
  already_linked_other_parent: 409,
  already_linked_other_bill: 409,
  parent_full: 409,
  parent_completed: 409,
  bill_completed: 409,
  capacity_reached: 409,
  bill_incomplete: 409,
  duplicate_bill: 409,
  duplicate_username: 409,
  duplicate_area: 409,
  last_admin: 409,
  own_role: 409,
  nothing_to_undo: 409,
  bag_in_use: 409,
  bill_busy: 409,
  account_locked: 423,
  rate_limited: 429,
  totp_required: 401,
  invalid_totp: 401,
  totp_enrolment_required: 403,
  totp_already_enabled: 409,
  totp_not_set_up: 409,
  area_in_use: 409,
  ticket_not_found: 404,
  ticket_closed: 409,
  not_on_bill: 409,
  on_other_ticket: 409,
  ticket_empty: 409,
};

interface Problem {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown> | undefined;
  retryAfter?: number;
}

/** Turns anything thrown into a client-safe problem; unknown errors say nothing inside. */
export function toProblem(err: unknown): Problem {
  if (isDomainError(err)) return { status: STATUS_BY_CODE[err.code], code: err.code, message: err.message, details: err.details };
  const fe = err as FastifyError;
  if (fe?.validation) return { status: 400, code: 'validation_failed', message: `Invalid request: ${fe.message}` };
  if (fe && fe.code === 'FST_CSRF_INVALID_TOKEN')
    return { status: 403, code: 'csrf_failed', message: 'Missing or wrong CSRF token: reload the page' };
  if (fe && fe.code === 'FST_CSRF_MISSING_SECRET')
    return { status: 403, code: 'csrf_failed', message: 'Missing CSRF token: reload the page' };
  const storage = classifyStorageError(err);
  if (storage?.kind === 'bad_input')
    return { status: 400, code: 'validation_failed', message: 'The request holds a value the database cannot store' };
  if (storage?.kind === 'unavailable') {
    return storage.service === 'database'
      ? {
          status: 503,
          code: 'database_unavailable',
          message: 'The database is unavailable: try again in a moment',
          retryAfter: RETRY_AFTER_SECONDS,
        }
      : {
          status: 503,
          code: 'session_store_unavailable',
          message: 'The session store is unavailable: try again in a moment',
          retryAfter: RETRY_AFTER_SECONDS,
        };
  }
  if (fe && fe.statusCode === 429) return { status: 429, code: 'rate_limited', message: 'Too many requests: wait a minute and try again' };
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 413
        ? 'payload_too_large'
        : fe.statusCode === 415
          ? 'unsupported_media_type'
          : fe.statusCode === 404
            ? 'not_found'
            : 'bad_request';
    return { status: fe.statusCode, code, message: fe.message };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side; it has been logged' };
}

/** JSON for the API and for any client that does not ask for HTML (scripts, scrapers). */
export const wantsJson = (req: FastifyRequest) =>
  req.url.startsWith('/api/') || req.url === '/api' || !(req.headers.accept ?? '').includes('text/html');

export function sendProblem(req: FastifyRequest, reply: FastifyReply, p: Problem) {
  if (p.retryAfter) reply.header('retry-after', String(p.retryAfter));
  if (wantsJson(req)) {
    const body: { error: Record<string, unknown> } = { error: { code: p.code, message: p.message } };
    if (p.details) Object.assign(body.error, p.details);
    return reply.status(p.status).type('application/json').send(body);
  }
  if (p.status === 401) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  return reply
    .status(p.status)
    .type('text/html; charset=utf-8')
    .send(errorPage(req, p.status, p.message).value);
}

export default fp(async (app) => {
  app.setErrorHandler((err, req, reply) => {
    const p = toProblem(err);
    if (p.status === 503) req.log.warn({ err: (err as Error).message, reqId: req.id }, p.code);
    else if (p.status >= 500) req.log.error({ err, reqId: req.id }, 'unhandled error');
    return sendProblem(req, reply, p);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, { status: 404, code: 'not_found', message: 'Nothing here' }));
});
