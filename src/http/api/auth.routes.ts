/** POST /api/auth/login · POST /api/auth/logout · GET /api/auth/session */
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../../app.js';
import { login, logout, type LoginResult } from '../../domain/auth/auth.service.js';
import { errorResponses, presentSessionUser, SessionUserSchema } from '../schemas/common.js';
import { loadSettings, mustEnrolTotp } from '../../domain/settings/settings.service.js';
import { SESSION_COOKIE, requireActor } from '../plugins/auth.js';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    totp: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);

/** mustEnrolTotp: an admin without two-factor while the settings require it (enrol first). */
const SessionAnswer = Type.Object({ user: SessionUserSchema, csrfToken: Type.String(), mustEnrolTotp: Type.Boolean() });

/** Sets the session cookie after a successful login; shared by the API and the login form. */
export function startSession(app: App, reply: FastifyReply, result: LoginResult): string {
  reply.setCookie(SESSION_COOKIE, result.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    signed: true,
    maxAge: Math.floor(app.ctx.sessionPolicy.absoluteMs / 1000),
  });
  return reply.generateCsrf();
}

export const loginRateLimit = (app: App) => ({ max: app.config.loginRateLimitPerMinute, timeWindow: 60_000 });

export default async function authRoutes(app: App) {
  app.post('/api/auth/login', {
    config: { access: 'public', rateLimit: loginRateLimit(app) },
    schema: { tags: ['auth'], body: LoginBody, response: { 200: SessionAnswer, ...errorResponses } },
    handler: async (req, reply) => {
      const result = await login(app.ctx, {
        username: req.body.username,
        password: req.body.password,
        totp: req.body.totp,
        ip: req.ip,
        userAgent: req.headers['user-agent']?.slice(0, 200) ?? null,
        requestId: req.id,
      });
      const csrfToken = startSession(app, reply, result);
      return { user: presentSessionUser(result.user), csrfToken, mustEnrolTotp: result.mustEnrolTotp };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'session.use' },
    schema: { tags: ['auth'], response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await logout(app.ctx, requireActor(req), req.sessionId!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.get('/api/auth/session', {
    config: { access: 'session.use' },
    schema: { tags: ['auth'], response: { 200: SessionAnswer, ...errorResponses } },
    handler: async (req, reply) => ({
      user: presentSessionUser(req.user!),
      csrfToken: reply.generateCsrf(),
      mustEnrolTotp: mustEnrolTotp(req.user!, await loadSettings(app.ctx)),
    }),
  });
}
