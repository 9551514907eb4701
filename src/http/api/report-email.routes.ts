/** End-of-day e-mail (admins): POST /api/reports/email/send ("send now") · GET /api/reports/email/log. */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { DomainError } from '../../domain/errors.js';
import { sendLog } from '../../domain/reports/eod-email.service.js';
import { requireActor } from '../plugins/auth.js';
import { DateTime, errorResponses, Nullable } from '../schemas/common.js';

const SendReply = Type.Object({ ok: Type.Boolean(), attempts: Type.Integer(), error: Nullable(Type.String()) });
const LogReply = Type.Object({
  configured: Type.Boolean(),
  time: Type.String({ description: 'EOD_REPORT_TIME, HH:MM in the display time zone' }),
  items: Type.Array(
    Type.Object({
      day: Type.String(),
      at: DateTime,
      trigger: Type.String(),
      attempt: Type.Integer(),
      ok: Type.Boolean(),
      recipients: Type.String(),
      error: Nullable(Type.String()),
    }),
  ),
});

export default async function reportEmailRoutes(app: App) {
  app.post('/api/reports/email/send', {
    config: { access: 'reports.email' },
    schema: { tags: ['reports'], summary: "Send today's report now", response: { 200: SendReply, ...errorResponses } },
    handler: async (req) => {
      if (!app.eod) throw new DomainError('not_found', 'E-mail is not set up: SMTP_URL and REPORT_EMAIL_TO are needed');
      return app.eod.sendNow(requireActor(req));
    },
  });

  app.get('/api/reports/email/log', {
    config: { access: 'reports.email' },
    schema: { tags: ['reports'], summary: 'The log of report e-mails, newest first', response: { 200: LogReply, ...errorResponses } },
    handler: async (req) => {
      const items = await sendLog(app.ctx, requireActor(req));
      return { configured: Boolean(app.eod), time: app.config.eodReportTime, items: items.map((e) => ({ ...e, at: e.at.toISOString() })) };
    },
  });
}
