/**
 * GET/POST /login and POST /logout: the HTML side of sessions (same use cases as the API).
 * Users with two-factor on log in in two steps through the same POST /login: the password
 * step leaves a server-side pending login behind a signed httpOnly cookie, the code step
 * finishes it.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { logout, type LoginResult } from '../../domain/auth/auth.service.js';
import { finishFormLogin, pendingLoginUser, PENDING_LOGIN_MS, startFormLogin } from '../../domain/auth/form-login.service.js';
import { isDomainError } from '../../domain/errors.js';
import { loginRateLimit, startSession } from '../api/auth.routes.js';
import { SESSION_COOKIE, requireActor } from '../plugins/auth.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';
import { ENROL_PAGE } from '../plugins/totp-enrolment.js';
import { frameOf, safeNext } from './frame.js';
import { loginCodeView, loginView } from './views/login.view.js';

export const PENDING_COOKIE = 'tt_pending';

const LoginForm = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 64 })),
  password: Type.Optional(Type.String({ maxLength: 200 })),
  totp: Type.Optional(Type.String({ maxLength: 16 })),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String()),
});

function pendingToken(req: FastifyRequest): string | undefined {
  const raw = req.cookies[PENDING_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

const clearPending = (reply: FastifyReply) => reply.clearCookie(PENDING_COOKIE, { path: '/login' });

export default async function authPages(app: App) {
  const client = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 200) ?? null, requestId: req.id });
  const finish = (reply: FastifyReply, result: LoginResult, next: string) => {
    clearPending(reply);
    startSession(app, reply, result);
    return reply.redirect(result.mustEnrolTotp ? ENROL_PAGE : next, 303);
  };

  app.get('/login', {
    config: { access: 'public' },
    schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) },
    handler: async (req, reply) => {
      const next = safeNext(req.query.next);
      if (req.user) return reply.redirect(next, 303);
      if (req.cookies[PENDING_COOKIE]) clearPending(reply);
      return reply.page(loginView(frameOf(req, reply, 'Log in'), { next }));
    },
  });

  app.post('/login', {
    config: { access: 'public', rateLimit: loginRateLimit(app) },
    schema: { hide: true, body: LoginForm },
    handler: async (req, reply) => {
      const next = safeNext(req.body.next);
      const token = pendingToken(req);
      if (req.body.totp !== undefined) {
        const username = token ? await pendingLoginUser(app.ctx, token) : undefined;
        if (!token || !username) {
          clearPending(reply);
          const error = 'Your login timed out: enter your username and password again';
          return reply.page(loginView(frameOf(req, reply, 'Log in'), { next, error }), 401);
        }
        try {
          return finish(reply, await finishFormLogin(app.ctx, { pendingToken: token, totp: req.body.totp, ...client(req) }), next);
        } catch (err) {
          if (!isDomainError(err)) throw err;
          const frame = frameOf(req, reply, 'Log in');
          if (err.code === 'invalid_totp' || err.code === 'totp_required') {
            return reply.page(loginCodeView(frame, { username, next, error: err.message }), STATUS_BY_CODE[err.code]);
          }
          clearPending(reply);
          return reply.page(loginView(frame, { username, next, error: err.message }), STATUS_BY_CODE[err.code]);
        }
      }
      const { username, password } = req.body;
      if (username === undefined || password === undefined) {
        return reply.page(loginView(frameOf(req, reply, 'Log in'), { next, error: 'Enter your username and password' }), 400);
      }
      try {
        const step = await startFormLogin(app.ctx, { username, password, ...client(req) });
        if (step.kind === 'done') return finish(reply, step.result, next);
        reply.setCookie(PENDING_COOKIE, step.pendingToken, {
          path: '/login',
          httpOnly: true,
          sameSite: 'strict',
          secure: 'auto',
          signed: true,
          maxAge: Math.floor(PENDING_LOGIN_MS / 1000),
        });
        return reply.page(loginCodeView(frameOf(req, reply, 'Log in'), { username: step.username, next }));
      } catch (err) {
        if (!isDomainError(err)) throw err;
        const frame = frameOf(req, reply, 'Log in');
        return reply.page(loginView(frame, { username, next, error: err.message }), STATUS_BY_CODE[err.code]);
      }
    },
  });

  app.post('/logout', {
    config: { access: 'session.use' },
    schema: { hide: true },
    handler: async (req, reply) => {
      await logout(app.ctx, requireActor(req), req.sessionId!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/login', 303);
    },
  });
}
