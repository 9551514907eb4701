/** GET /api/dashboard/stats (the figures of SPEC §7) · GET /api/scans/recent (latest scan attempts). */
import type { App } from '../../app.js';
import { dashboardStats, recentScans } from '../../domain/dashboard/dashboard.service.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';
import { DashboardStatsReply, presentScanEvent, RecentQuery, RecentReply } from '../schemas/read.schemas.js';

export default async function dashboardRoutes(app: App) {
  app.get('/api/dashboard/stats', {
    config: { access: 'dashboard.read' },
    schema: { tags: ['dashboard'], response: { 200: DashboardStatsReply, ...errorResponses } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return dashboardStats(app.ctx, requireActor(req));
    },
  });

  app.get('/api/scans/recent', {
    config: { access: 'dashboard.read' },
    schema: { tags: ['dashboard'], querystring: RecentQuery, response: { 200: RecentReply, ...errorResponses } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { items: (await recentScans(app.ctx, requireActor(req), req.query.limit)).map(presentScanEvent) };
    },
  });
}
