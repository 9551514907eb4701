/**
 * The one Post/Redirect/Get step of every page form: run the use case; on success answer 303 to
 * where the page says; on a refusal (a DomainError) show the page again with the reason and the
 * error's status from the one table (plugins/errors.ts). Anything else is thrown on to the
 * error page, and so are refusals the page names in `rethrow` (e.g. its own subject is gone).
 */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { isDomainError, type ErrorCode } from '../../domain/errors.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';

export type Flash = { kind: 'ok' | 'error'; text: string };

/** The CSRF token field every page form posts (plugins/csrf.ts checks it). */
export const Csrf = { _csrf: Type.Optional(Type.String()) };
/** `?done=…` after a Post/Redirect/Get: which success the page says. */
export const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
/** The success flash for a `?done=` value the page knows; nothing for any other value. */
export const doneFlash =
  (texts: Record<string, string>) =>
  (done: string | undefined): Flash | undefined =>
    done && Object.hasOwn(texts, done) ? { kind: 'ok', text: texts[done]! } : undefined;

export interface FormAction<T> {
  /** Where to go after success; undefined when the use case already answered (e.g. a one-time page). */
  next: (result: T) => string | undefined;
  /** The page again, with the refusal as an error flash, at the error's status. */
  refused: (flash: Flash, status: number) => unknown;
  rethrow?: readonly ErrorCode[];
}

export async function act<T>(reply: FastifyReply, run: () => Promise<T>, a: FormAction<T>): Promise<unknown> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    if (!isDomainError(err) || a.rethrow?.includes(err.code)) throw err;
    return a.refused({ kind: 'error', text: err.message }, STATUS_BY_CODE[err.code]);
  }
  const target = a.next(result);
  return target === undefined ? reply : reply.redirect(target, 303);
}
