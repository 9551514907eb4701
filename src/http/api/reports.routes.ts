/**
 * GET /api/reports/daily (SPEC §12) and its downloads (.csv, .xlsx, .pdf) · GET /api/reports/bills
 * (bill summary for a range of days).
 */
import type { App } from '../../app.js';
import { billSummary, dailyReport, todayHourly } from '../../domain/reports/reports.service.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';
import { Type } from 'typebox';
import { BillSummaryQuery, BillSummaryReply, DailyQuery, DailyReply } from '../schemas/reports.schemas.js';
import { dailyCsv, dailyPdf, dailyXlsx } from '../reports.exports.js';

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', render: dailyCsv },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', render: dailyXlsx },
  pdf: { type: 'application/pdf', render: dailyPdf },
} as const;

export default async function reportRoutes(app: App) {
  const tz = () => app.config.displayTimezone;

  app.get('/api/reports/daily', {
    config: { access: 'reports.read' },
    schema: { tags: ['reports'], querystring: DailyQuery, response: { 200: DailyReply, ...errorResponses } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return dailyReport(app.ctx, requireActor(req), tz(), req.query);
    },
  });

  for (const [ext, f] of Object.entries(FORMATS)) {
    app.get(`/api/reports/daily.${ext}`, {
      config: { access: 'reports.read' },
      schema: {
        tags: ['reports'],
        summary: `The day's report as ${ext.toUpperCase()}`,
        querystring: DailyQuery,
        response: {
          200: Type.String({ description: `the ${ext.toUpperCase()} file`, ...(ext === 'csv' ? {} : { format: 'binary' }) }),
          ...errorResponses,
        },
      },
      handler: async (req, reply) => {
        const report = await dailyReport(app.ctx, requireActor(req), tz(), req.query);
        const name = `tracetrack-report-${report.date}${report.area ? `-${report.area}` : ''}.${ext}`;
        return reply
          .type(f.type)
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send((await f.render(report, app.ctx.clock.now())) as string); // a Buffer passes through unserialised
      },
    });
  }

  app.get('/api/reports/today-hourly', {
    config: { access: 'dashboard.read' },
    schema: {
      tags: ['reports'],
      summary: "Today's accepted scans per hour (the dashboard chart); dispatchers: own area",
      response: {
        200: Type.Object({ date: Type.String(), hourly: Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }) }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return todayHourly(app.ctx, requireActor(req), tz());
    },
  });

  app.get('/api/reports/bills', {
    config: { access: 'reports.bills' },
    schema: { tags: ['reports'], querystring: BillSummaryQuery, response: { 200: BillSummaryReply, ...errorResponses } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const s = await billSummary(app.ctx, requireActor(req), tz(), req.query);
      return {
        ...s,
        items: s.items.map((b) => ({ ...b, createdAt: b.createdAt.toISOString(), completedAt: b.completedAt?.toISOString() ?? null })),
      };
    },
  });
}
