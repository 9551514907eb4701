/**
 * GET / : the dashboard after login (SPEC §5): figures from the counters, recent scans, quick
 * actions for the role; the bundled client (dashboard.js) keeps it live.
 */
import type { App } from '../../app.js';
import { dashboardStats, recentScans } from '../../domain/dashboard/dashboard.service.js';
import { todayHourly } from '../../domain/reports/reports.service.js';
import { can } from '../../domain/permissions.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { dashboardView } from './views/dashboard.view.js';

export default async function dashboardPages(app: App) {
  app.get('/', {
    config: { access: 'dashboard.read' },
    schema: { hide: true },
    handler: async (req, reply) => {
      const actor = requireActor(req);
      const [stats, recent, today] = await Promise.all([
        dashboardStats(app.ctx, actor),
        recentScans(app.ctx, actor),
        todayHourly(app.ctx, actor, app.config.displayTimezone),
      ]);
      const entries = recent.map((e) => ({ ...e, actor: e.actorName, area: e.areaId }));
      const frame = frameOf(req, reply, 'Dashboard', { scripts: ['dashboard.js'] });
      return reply.page(
        dashboardView(frame, req.user!, stats, entries, app.config.displayTimezone, can(actor, 'bills.read'), today.hourly),
      );
    },
  });
}
