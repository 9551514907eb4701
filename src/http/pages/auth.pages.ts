/** GET/POST /login and POST /logout: the HTML side of sessions (same use cases as the API). */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { login, logout } from '../../domain/auth/auth.service.js';
import { isDomainError } from '../../domain/errors.js';
import { loginRateLimit, startSession } from '../api/auth.routes.js';
import { SESSION_COOKIE, requireActor } from '../plugins/auth.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';
import { frameOf, safeNext } from './frame.js';
import { loginView } from './views/login.view.js';

const LoginForm = Type.Object({
  username: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 200 }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String()),
});

export default async function authPages(app: App) {
  app.get('/login', {
    config: { access: 'public' },
    schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }) },
    handler: async (req, reply) => {
      const next = safeNext(req.query.next);
      if (req.user) return reply.redirect(next, 303);
      return reply.page(loginView(frameOf(req, reply, 'Log in'), { next }));
    },
  });

  app.post('/login', {
    config: { access: 'public', rateLimit: loginRateLimit(app) },
    schema: { hide: true, body: LoginForm },
    handler: async (req, reply) => {
      const next = safeNext(req.body.next);
      try {
        const result = await login(app.ctx, {
          username: req.body.username,
          password: req.body.password,
          ip: req.ip,
          userAgent: req.headers['user-agent']?.slice(0, 200) ?? null,
          requestId: req.id,
        });
        startSession(app, reply, result);
        return reply.redirect(next, 303);
      } catch (err) {
        if (!isDomainError(err)) throw err;
        const frame = frameOf(req, reply, 'Log in');
        return reply.page(loginView(frame, { username: req.body.username, next, error: err.message }), STATUS_BY_CODE[err.code]);
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
