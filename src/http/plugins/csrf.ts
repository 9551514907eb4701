/**
 * CSRF protection (@fastify/csrf-protection, secret in a signed httpOnly cookie). Every
 * state-changing request that carries a session cookie, and every HTML form post, must send the
 * token: header X-CSRF-Token (JSON) or field _csrf (forms). A JSON login with no cookie at all
 * (scripts, the load generator) has nothing to forge and passes.
 */
import fp from 'fastify-plugin';
import csrf from '@fastify/csrf-protection';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(async (app) => {
  await app.register(csrf, {
    cookieKey: 'tt_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: 'auto' },
    getToken: (req) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string' && header !== '') return header;
      const body = req.body as { _csrf?: unknown } | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : '';
    },
  });
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE.has(req.method)) return done();
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (!req.hasSessionCookie && !isForm) return done();
    app.csrfProtection(req, reply, done);
  });
});
