/** GET /reports: the day's report with charts and downloads, the bill summary (SPEC §12). */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import { billSummary, dailyReport } from '../../domain/reports/reports.service.js';
import { can } from '../../domain/permissions.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { reportsView } from './views/reports.view.js';

const Query = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 10 })),
  area: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  createdBy: Type.Optional(Type.String({ maxLength: 64 })),
});

export default async function reportPages(app: App) {
  app.get('/reports', {
    config: { access: 'reports.read' },
    schema: { hide: true, querystring: Query },
    handler: async (req, reply) => {
      const actor = requireActor(req);
      const tz = app.config.displayTimezone;
      const q = req.query;
      const report = await dailyReport(app.ctx, actor, tz, { date: q.date || undefined, area: q.area || undefined });
      const office = can(actor, 'reports.bills');
      const bills = office ? await billSummary(app.ctx, actor, tz, { from: q.from || undefined, to: q.to || undefined, createdBy: q.createdBy || undefined }) : null;
      const areas = actor.role === 'dispatcher' ? null : await listAreas(app.ctx);
      const frame = frameOf(req, reply, 'Reports', { styles: ['reports.css'] });
      return reply.page(reportsView(frame, { report, areas, bills, timeZone: tz }, actor.role === 'admin'));
    },
  });
}
