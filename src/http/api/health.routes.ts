/**
 * GET /health (public): liveness; with check_db=true also a round trip to the database and to
 * Redis when configured, each with its state: 503 naming what is down.
 */
import { Type } from 'typebox';
import type { App } from '../../app.js';

const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Optional(Type.Number()) });
const HealthAnswer = Type.Object({
  status: Type.String(),
  database: Type.Optional(Check),
  redis: Type.Optional(Check),
  /** What does not answer: `database`, `redis`. */
  down: Type.Optional(Type.Array(Type.String())),
});

async function timed(work: () => Promise<void>): Promise<{ ok: boolean; latencyMs?: number }> {
  const started = performance.now();
  try {
    await work();
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch {
    return { ok: false };
  }
}

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
      const { probes } = app;
      const [database, cache] = await Promise.all([timed(probes.database), probes.redis ? timed(probes.redis) : undefined]);
      const answer = { status: 'ok', database, ...(cache ? { redis: cache } : {}) };
      const down = [!database.ok && 'database', cache && !cache.ok && 'redis'].filter((x): x is string => Boolean(x));
      if (down.length === 0) return answer;
      req.log.warn({ down }, 'health check: unavailable');
      return reply
        .status(503)
        .header('retry-after', '2')
        .send({ ...answer, status: 'unavailable', down });
    },
  });
}
