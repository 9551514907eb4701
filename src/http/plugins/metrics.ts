/**
 * Request metrics: a Prometheus registry (prom-client) for /metrics, and a recent window per
 * route for /api/stats/performance (counts, p50/p95/p99, error rate). Figures are this
 * process's; Prometheus adds the processes up.
 */
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../../storage/database.js';
import type { SearchIndexMergeStats } from '../../domain/housekeeping/search-index-merges.js';
import { rememberedParentStats, scanCallStats, type CallStats } from '../../storage/scans.repository.js';
import { monitorLoopDelay, type LoopDelay } from '../../lib/loop-delay.js';

const WINDOW = 1024;

class RouteWindow {
  count = 0;
  errors = 0;
  clientErrors = 0;
  private readonly samples = new Float64Array(WINDOW);
  private next = 0;
  private filled = 0;

  record(ms: number, status: number) {
    this.count++;
    if (status >= 500) this.errors++;
    else if (status >= 400) this.clientErrors++;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    this.filled = Math.min(this.filled + 1, WINDOW);
  }

  percentiles() {
    const sorted = Array.from(this.samples.subarray(0, this.filled)).sort((a, b) => a - b);
    const at = (p: number) =>
      sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!) : null;
    return { p50: at(50), p95: at(95), p99: at(99), max: sorted.length ? round(sorted[sorted.length - 1]!) : null, window: sorted.length };
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export interface PerformanceSnapshot {
  uptimeSeconds: number;
  routes: Array<{
    route: string;
    count: number;
    errors: number;
    clientErrors: number;
    errorRate: number;
    latencyMs: ReturnType<RouteWindow['percentiles']>;
  }>;
  database: PoolStats & { engine: string };
  /** This process's scan read and child-link calls and the scans they carried (storage/batches.ts). */
  scanCalls: Record<'reads' | 'links', CallStats & { perCall: number | null }>;
  /** This process's merges of the contains-search index's pending list (docs/decisions/0031). */
  searchIndex: SearchIndexMergeStats;
  /** Child scans that skipped their read on a parent this process remembered, and misses (docs/decisions/0032). */
  rememberedParents: { used: number; missed: number };
  cache: { hits: number; misses: number; hitRate: number | null };
  /** Beyond the sampling tick (lib/loop-delay.ts). */
  eventLoopDelayMs: LoopDelay;
  memory: { rssMb: number; heapUsedMb: number; heapTotalMb: number };
}

export interface Metrics {
  registry: Registry;
  snapshot(): PerformanceSnapshot;
  /** Caches report hits and misses here so the hit rate is visible. */
  cacheHit(hit: boolean): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export default fp(async (app) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const pool = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const s = app.database.poolStats();
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });
  void pool;
  // Counted where the calls are made (storage/batches.ts); read from there at each scrape.
  const scanCalls = new Counter({
    name: 'scan_calls_total',
    help: 'Scan reads and child-scan writes: database calls made by this process (calls) and the scans they carried (items)',
    labelNames: ['call', 'what'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [call, s] of Object.entries(scanCallStats(app.database.db))) {
        this.inc({ call, what: 'calls' }, s.calls);
        this.inc({ call, what: 'items' }, s.items);
      }
    },
  });
  void scanCalls;
  /** A counter labelled `what`, read at each scrape from counts kept elsewhere. */
  const countsOf = (name: string, help: string, read: () => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['what'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [what, n] of Object.entries(read())) this.inc({ what }, n);
      },
    });
  countsOf(
    'search_index_merges_total',
    "Merges of the contains-search index's pending list by this process (merges, pages), and ticks skipped or failed",
    () => {
      const { merges, pagesMerged: pages, skipped, failures } = app.searchIndexMerges.stats;
      return { merges, pages, skipped, failures };
    },
  );
  countsOf(
    'scan_remembered_parents_total',
    'Child scans that skipped their read on a parent this process last wrote (used), and those whose write found it changed (missed)',
    () => rememberedParentStats(app.database.db),
  );
  const loop = monitorLoopDelay();
  const routes = new Map<string, RouteWindow>();
  const cache = { hits: 0, misses: 0 };
  const started = Date.now();

  // One histogram child per method, route and status: labelling on every request hashed the labels again.
  const observers = new Map<string, ReturnType<typeof duration.labels>>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    const key = `${req.method} ${route}`;
    const labelled = `${key} ${reply.statusCode}`;
    let observer = observers.get(labelled);
    if (!observer) {
      observer = duration.labels({ method: req.method, route, status: String(reply.statusCode) });
      observers.set(labelled, observer);
    }
    observer.observe(ms / 1000);
    let w = routes.get(key);
    if (!w) {
      w = new RouteWindow();
      routes.set(key, w);
    }
    w.record(ms, reply.statusCode);
    done();
  });
  app.addHook('onClose', async () => loop.stop());

  app.decorate('metrics', {
    registry,
    cacheHit(hit: boolean) {
      if (hit) cache.hits++;
      else cache.misses++;
    },
    snapshot(): PerformanceSnapshot {
      const mem = process.memoryUsage();
      const mb = (n: number) => Math.round(n / 1048576);
      const lookups = cache.hits + cache.misses;
      const calls = scanCallStats(app.database.db);
      const perCall = (c: CallStats) => ({ ...c, perCall: c.calls ? round(c.items / c.calls) : null });
      return {
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        routes: [...routes.entries()]
          .map(([route, w]) => ({
            route,
            count: w.count,
            errors: w.errors,
            clientErrors: w.clientErrors,
            errorRate: w.count ? round(w.errors / w.count) : 0,
            latencyMs: w.percentiles(),
          }))
          .sort((a, b) => b.count - a.count),
        database: { engine: app.database.engine, ...app.database.poolStats() },
        scanCalls: { reads: perCall(calls.reads), links: perCall(calls.links) },
        searchIndex: { ...app.searchIndexMerges.stats },
        rememberedParents: rememberedParentStats(app.database.db),
        cache: { ...cache, hitRate: lookups ? round(cache.hits / lookups) : null },
        eventLoopDelayMs: loop.read(),
        memory: { rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal) },
      };
    },
  });
});
