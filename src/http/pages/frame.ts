/** Builds the layout frame of a page request (user, CSRF token, path). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageFrame } from './views/layout.view.js';

export function frameOf(req: FastifyRequest, reply: FastifyReply, title: string, extra: Partial<PageFrame> = {}): PageFrame {
  return { title, user: req.user, csrfToken: reply.generateCsrf(), path: req.url.split('?')[0] ?? '/', ...extra };
}

/** Only same-site relative paths may be redirect targets (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
