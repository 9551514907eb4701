/** GET /admin/audit: the audit browser page (admins), over the same use case as GET /api/audit. */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { listAudit, type AuditFilter } from '../../domain/audit/audit.service.js';
import { DomainError } from '../../domain/errors.js';
import { frameOf } from './frame.js';
import { auditView, type AuditFilterForm } from './views/audit.view.js';

const Day = Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' });

/** Midnight of a YYYY-MM-DD day in the display time zone, as an instant. */
export function startOfDay(day: string, timeZone: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(guess.getTime())) throw new DomainError('validation_failed', `"${day}" is not a date`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(guess);
  const offset = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(guess.getTime() - minutes * 60_000);
}

export default async function auditPages(app: App) {
  app.get('/admin/audit', {
    config: { access: 'audit.read' },
    schema: {
      hide: true,
      querystring: Type.Object({
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        action: Type.Optional(Type.String({ maxLength: 64 })),
        subject: Type.Optional(Type.String({ maxLength: 300 })),
        from: Type.Optional(Day),
        to: Type.Optional(Day),
        includeScans: Type.Optional(Type.Boolean()),
        cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
      }),
    },
    handler: async (req, reply) => {
      const { cursor, ...form } = req.query;
      const tz = app.config.displayTimezone;
      let filter: AuditFilter = { actor: form.actor, action: form.action, subject: form.subject, includeScans: form.includeScans };
      let page: { items: Awaited<ReturnType<typeof listAudit>>['items']; nextCursor: string | null } = { items: [], nextCursor: null };
      let flash: { kind: 'error'; text: string } | undefined;
      try {
        filter = {
          ...filter,
          from: form.from ? startOfDay(form.from, tz) : undefined,
          // "To" is inclusive on the page: up to the end of that day.
          to: form.to ? new Date(startOfDay(form.to, tz).getTime() + 86_400_000) : undefined,
        };
        page = await listAudit(app.ctx, filter, { cursor, limit: 100 });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        flash = { kind: 'error', text: err.message };
      }
      const shown: AuditFilterForm = { ...form };
      const csv = new URLSearchParams();
      for (const [k, v] of Object.entries({
        actor: filter.actor,
        action: filter.action,
        subject: filter.subject,
        from: filter.from?.toISOString(),
        to: filter.to?.toISOString(),
      })) {
        if (v) csv.set(k, v);
      }
      if (filter.includeScans) csv.set('includeScans', 'true');
      const csvHref = `/api/exports/events.csv${csv.size ? `?${csv.toString()}` : ''}`;
      return reply.page(auditView(frameOf(req, reply, 'Audit log', { flash }), shown, page.items, page.nextCursor, tz, csvHref));
    },
  });
}
