/**
 * "Require two-factor for all admins": an admin without it is held at the enrolment page (pages
 * redirect there, the API answers 403 totp_enrolment_required) until they enrol. Only what
 * enrolment itself needs stays open: the session, logout, the profile and 2FA endpoints.
 * Runs after the auth plugin (registered later), so request.user is known.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../domain/users/user.js';
import { DomainError } from '../../domain/errors.js';
import { loadSettings, mustEnrolTotp } from '../../domain/settings/settings.service.js';

export const ENROL_PAGE = '/profile/2fa';
const OPEN = [/^\/api\/auth\//, /^\/profile(\/|$|\?)/, /^\/logout$/, /^\/login(\?|$)/, /^\/assets\//, /^\/health(\?|$)/];

export default fp(async (app) => {
  // Synchronous for everyone but an admin without two-factor on a guarded path (an async hook
  // costs every request a promise).
  app.addHook('onRequest', (req, reply, done) => {
    const user = req.user;
    if (user?.role !== 'admin' || user.totpEnabled || OPEN.some((re) => re.test(req.url))) return done();
    heldForEnrolment(user, req, reply).then(() => {
      if (!reply.sent) done(); // after the redirect the request is answered
    }, done);
  });

  async function heldForEnrolment(user: User, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!mustEnrolTotp(user, await loadSettings(app.ctx))) return;
    if (req.url.startsWith('/api/'))
      throw new DomainError('totp_enrolment_required', 'Set up two-factor login first (Profile → Two-factor)');
    reply.redirect(ENROL_PAGE, 303);
  }
});
