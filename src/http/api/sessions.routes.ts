/** Own sessions: GET /api/auth/sessions · DELETE /api/auth/sessions/{id} · DELETE /api/auth/sessions (all others). */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { endOtherSessions, endOwnSession, listOwnSessions } from '../../domain/auth/sessions.service.js';
import { OwnSessionSchema, presentOwnSession } from '../schemas/admin.schemas.js';
import { SESSION_COOKIE, requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';

export default async function sessionRoutes(app: App) {
  app.get('/api/auth/sessions', {
    config: { access: 'session.use' },
    schema: { tags: ['auth'], response: { 200: Type.Object({ items: Type.Array(OwnSessionSchema) }), ...errorResponses } },
    handler: async (req) => ({ items: (await listOwnSessions(app.ctx, requireActor(req), req.sessionId)).map(presentOwnSession) }),
  });

  app.delete('/api/auth/sessions/:id', {
    config: { access: 'session.use' },
    schema: {
      tags: ['auth'],
      params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      const { wasCurrent } = await endOwnSession(app.ctx, requireActor(req), req.params.id, req.sessionId);
      if (wasCurrent) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.delete('/api/auth/sessions', {
    config: { access: 'session.use' },
    schema: { tags: ['auth'], response: { 200: Type.Object({ ended: Type.Integer() }), ...errorResponses } },
    handler: async (req) => ({ ended: await endOtherSessions(app.ctx, requireActor(req), req.sessionId) }),
  });
}
