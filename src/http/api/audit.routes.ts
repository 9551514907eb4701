/** GET /api/audit (admin: filtered, keyset-paged history) · GET /api/audit/export.csv (the events export). */
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { listAudit, type AuditFilter } from '../../domain/audit/audit.service.js';
import { requireActor } from '../plugins/auth.js';
import { FileReply, sendEvents } from './exports.routes.js';
import { AuditEventSchema, AuditQuerySchema, presentEvent } from '../schemas/admin.schemas.js';
import { errorResponses } from '../schemas/common.js';

type AuditQuery = Static<typeof AuditQuerySchema>;

export const auditFilterOf = (q: Omit<AuditQuery, 'cursor' | 'limit'>): AuditFilter => ({
  actor: q.actor,
  action: q.action,
  subject: q.subject,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  includeScans: q.includeScans,
});

export default async function auditRoutes(app: App) {
  app.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      querystring: AuditQuerySchema,
      response: {
        200: Type.Object({ items: Type.Array(AuditEventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        ...errorResponses,
      },
    },
    handler: async (req) => {
      const { cursor, limit, ...filter } = req.query;
      const page = await listAudit(app.ctx, auditFilterOf(filter), { cursor, limit });
      return { items: page.items.map(presentEvent), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/audit/export.csv', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], querystring: Type.Omit(AuditQuerySchema, ['cursor', 'limit']), response: FileReply },
    // The events export (exports.routes.ts) under its old name: one way to export history.
    handler: (req, reply) => sendEvents(app, reply, requireActor(req), req.query, 'csv', 'audit'),
  });
}
