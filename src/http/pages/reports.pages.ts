/** GET /reports: the day's report with charts and downloads, the bill summary (SPEC §12). */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import { billSummary, dailyReport } from '../../domain/reports/reports.service.js';
import { can } from '../../domain/permissions.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { emailPanel, reportsView } from './views/reports.view.js';
import { sendLog } from '../../domain/reports/eod-email.service.js';

const Query = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 10 })),
  area: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  createdBy: Type.Optional(Type.String({ maxLength: 64 })),
  sent: Type.Optional(Type.String({ maxLength: 8 })),
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
      const bills = office
        ? await billSummary(app.ctx, actor, tz, { from: q.from || undefined, to: q.to || undefined, createdBy: q.createdBy || undefined })
        : null;
      const areas = actor.role === 'dispatcher' ? null : await listAreas(app.ctx);
      const sent = q.sent;
      const flash =
        sent === undefined
          ? undefined
          : sent === 'ok'
            ? { kind: 'ok' as const, text: "Today's report was sent." }
            : { kind: 'error' as const, text: 'Sending failed; see the log below.' };
      const frame = frameOf(req, reply, 'Reports', { styles: ['reports.css'], flash });
      const email = can(actor, 'reports.email')
        ? emailPanel({
            configured: Boolean(app.eod),
            time: app.config.eodReportTime,
            csrfToken: frame.csrfToken,
            log: await sendLog(app.ctx, actor, 20),
            timeZone: tz,
          })
        : undefined;
      return reply.page(reportsView(frame, { report, areas, bills, timeZone: tz, ...(email ? { email } : {}) }, actor.role === 'admin'));
    },
  });
}

/** POST /reports/email/send: the page's "send now" (admins), then back to /reports with the result. */
export async function reportEmailPage(app: App) {
  app.post('/reports/email/send', {
    config: { access: 'reports.email' },
    schema: { hide: true, body: Type.Union([Type.Object({ _csrf: Type.Optional(Type.String()) }), Type.Null()]) },
    handler: async (req, reply) => {
      if (!app.eod) return reply.redirect('/reports?sent=failed', 303);
      const r = await app.eod.sendNow(requireActor(req));
      return reply.redirect(`/reports?sent=${r.ok ? 'ok' : 'failed'}`, 303);
    },
  });
}
