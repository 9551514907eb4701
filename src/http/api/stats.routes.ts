/** GET /api/stats/performance (admin, JSON) · GET /metrics (Prometheus text; admin or token) */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { errorResponses } from '../schemas/common.js';

const Latency = Type.Object({
  p50: Type.Union([Type.Number(), Type.Null()]),
  p95: Type.Union([Type.Number(), Type.Null()]),
  p99: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  window: Type.Integer(),
});

const Calls = Type.Object({ calls: Type.Integer(), items: Type.Integer(), perCall: Type.Union([Type.Number(), Type.Null()]) });

const PerformanceAnswer = Type.Object({
  uptimeSeconds: Type.Integer(),
  routes: Type.Array(
    Type.Object({
      route: Type.String(),
      count: Type.Integer(),
      errors: Type.Integer(),
      clientErrors: Type.Integer(),
      errorRate: Type.Number(),
      latencyMs: Latency,
    }),
  ),
  database: Type.Object({ engine: Type.String(), total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() }),
  /** This process's scan read and child-link calls and the scans they carried (docs/decisions/0030). */
  scanCalls: Type.Object({ reads: Calls, links: Calls }),
  searchIndex: Type.Object({ merges: Type.Integer(), pagesMerged: Type.Integer(), skipped: Type.Integer(), failures: Type.Integer() }),
  /** Child scans that skipped their read on a remembered parent, and misses (docs/decisions/0032). */
  rememberedParents: Type.Object({ used: Type.Integer(), missed: Type.Integer() }),
  cache: Type.Object({ hits: Type.Integer(), misses: Type.Integer(), hitRate: Type.Union([Type.Number(), Type.Null()]) }),
  eventLoopDelayMs: Type.Object({ p50: Type.Number(), p99: Type.Number(), max: Type.Number() }),
  memory: Type.Object({ rssMb: Type.Integer(), heapUsedMb: Type.Integer(), heapTotalMb: Type.Integer() }),
});

export default async function statsRoutes(app: App) {
  app.get('/api/stats/performance', {
    config: { access: 'stats.read' },
    schema: { tags: ['monitoring'], response: { 200: PerformanceAnswer, ...errorResponses } },
    handler: async () => app.metrics.snapshot(),
  });

  app.get('/metrics', {
    config: { access: 'metrics' },
    schema: { tags: ['monitoring'], produces: ['text/plain'] },
    handler: async (_req, reply) => {
      const text = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(text);
    },
  });
}
