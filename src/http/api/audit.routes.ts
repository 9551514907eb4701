/** GET /api/audit (admin: filtered, keyset-paged history) · GET /api/audit/export.csv (streamed). */
import { Readable } from 'node:stream';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { auditEvents, listAudit, type AuditFilter } from '../../domain/audit/audit.service.js';
import { csvLine } from '../../lib/csv.js';
import { presentEvent } from '../admin.presenters.js';
import { AuditEventSchema, AuditQuerySchema } from '../schemas/admin.schemas.js';
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

const CSV_HEADER = ['id', 'at', 'actor_id', 'actor', 'action', 'outcome', 'subject', 'related', 'area', 'ip', 'station', 'request_id', 'details'];

/** The CSV body: header, then one line per event, fetched in keyset pages as the client reads. */
export async function auditCsv(app: App, filter: AuditFilter): Promise<Readable> {
  const events = await auditEvents(app.ctx, filter);
  async function* lines() {
    yield csvLine(CSV_HEADER);
    for await (const e of events) {
      yield csvLine([e.id, e.at, e.actorId, e.actorName, e.action, e.outcome, e.subject, e.related, e.areaId, e.ip, e.station, e.requestId, e.details]);
    }
  }
  return Readable.from(lines());
}

export default async function auditRoutes(app: App) {
  app.get('/api/audit', {
    config: { access: 'audit.read' },
    schema: {
      tags: ['audit'],
      querystring: AuditQuerySchema,
      response: { 200: Type.Object({ items: Type.Array(AuditEventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
    },
    handler: async (req) => {
      const { cursor, limit, ...filter } = req.query;
      const page = await listAudit(app.ctx, auditFilterOf(filter), { cursor, limit });
      return { items: page.items.map(presentEvent), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/audit/export.csv', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], querystring: Type.Omit(AuditQuerySchema, ['cursor', 'limit']) },
    handler: async (req, reply) => {
      const stamp = app.ctx.clock.now().toISOString().slice(0, 10);
      const body = await auditCsv(app, auditFilterOf(req.query));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tracetrack-audit-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  });
}
