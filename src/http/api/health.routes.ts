/** GET /health (public): liveness; with check_db=true also the database round trip (503 when down). */
import { Type } from 'typebox';
import { sql } from 'kysely';
import type { App } from '../../app.js';

const HealthAnswer = Type.Object({
  status: Type.String(),
  database: Type.Optional(Type.Object({ ok: Type.Boolean(), latencyMs: Type.Optional(Type.Number()) })),
});

export default async function healthRoutes(app: App) {
  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['health'],
      querystring: Type.Object({ check_db: Type.Optional(Type.Boolean()) }),
      response: { 200: HealthAnswer, 503: HealthAnswer },
    },
    handler: async (req, reply) => {
      if (!req.query.check_db) return { status: 'ok' };
      const started = performance.now();
      try {
        await Promise.race([
          sql`select 1`.execute(app.ctx.db),
          new Promise((_, reject) => setTimeout(() => reject(new Error('database timeout')), 3000).unref()),
        ]);
        return { status: 'ok', database: { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 } };
      } catch (err) {
        req.log.warn({ err }, 'health check: database unreachable');
        return reply.status(503).send({ status: 'unavailable', database: { ok: false } });
      }
    },
  });
}
