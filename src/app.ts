/**
 * buildApp() assembles a ready fastify instance from a config, an open database and a clock.
 * It never listens (server.ts does), so every test builds its own app and injects requests.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Ctx } from './domain/context.js';
import { systemClock, type Clock } from './lib/clock.js';
import type { Database } from './storage/database.js';
import { databaseRateLimitStore } from './storage/rate-limits.repository.js';
import { pingRedis } from './storage/sessions.redis.js';
import { createCtx } from './runtime.js';
import { holdStatementsWhen } from './storage/prepared.js';
import errors from './http/plugins/errors.js';
import security from './http/plugins/security.js';
import inFlight from './http/plugins/in-flight.js';
import { rememberingSigner } from './http/plugins/cookie-signer.js';
import rateLimit from './http/plugins/rate-limit.js';
import auth from './http/plugins/auth.js';
import csrf from './http/plugins/csrf.js';
import totpEnrolment from './http/plugins/totp-enrolment.js';
import assets from './http/plugins/assets.js';
import openapi from './http/plugins/openapi.js';
import metrics from './http/plugins/metrics.js';
import authRoutes from './http/api/auth.routes.js';
import userRoutes from './http/api/users.routes.js';
import areaRoutes from './http/api/areas.routes.js';
import healthRoutes from './http/api/health.routes.js';
import statsRoutes from './http/api/stats.routes.js';
import scanRoutes from './http/api/scans.routes.js';
import bagRoutes from './http/api/bags.routes.js';
import bagCorrectionPages from './http/pages/bag-corrections.pages.js';
import billRoutes from './http/api/bills.routes.js';
import authPages from './http/pages/auth.pages.js';
import dashboardPages from './http/pages/dashboard.pages.js';
import userPages from './http/pages/users.pages.js';
import auditRoutes from './http/api/audit.routes.js';
import sessionRoutes from './http/api/sessions.routes.js';
import totpRoutes from './http/api/totp.routes.js';
import settingsRoutes from './http/api/settings.routes.js';
import profilePages from './http/pages/profile.pages.js';
import auditPages from './http/pages/audit.pages.js';
import areaPages from './http/pages/areas.pages.js';
import settingsPages from './http/pages/settings.pages.js';
import scanPages from './http/pages/scan.pages.js';
import billPages from './http/pages/bills.pages.js';
import billActionPages from './http/pages/bill-actions.pages.js';
import searchRoutes from './http/api/search.routes.js';
import bagReadRoutes from './http/api/bags-read.routes.js';
import dashboardRoutes from './http/api/dashboard.routes.js';
import liveRoutes from './http/api/live.routes.js';
import importRoutes from './http/api/imports.routes.js';
import exportRoutes from './http/api/exports.routes.js';
import importPages from './http/pages/imports.pages.js';
import searchPages from './http/pages/search.pages.js';
import bagPages from './http/pages/bags.pages.js';
import returnRoutes from './http/api/returns.routes.js';
import returnPages from './http/pages/returns.pages.js';
import { createLiveHub } from './storage/live.transport.js';
import { HOUSEKEEPING_CHECK_MS, runHousekeepingIfDue } from './domain/housekeeping/housekeeping.service.js';
import { SearchIndexMerges } from './domain/housekeeping/search-index-merges.js';
import reportRoutes from './http/api/reports.routes.js';
import reportPages, { reportEmailPage } from './http/pages/reports.pages.js';
import reportEmailRoutes from './http/api/report-email.routes.js';
import { EodReporter } from './domain/reports/eod-email.service.js';
import { smtpMailer } from './lib/mailer.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    ctx: Ctx;
    database: Database;
    /** Round trips for /health?check_db=true: Redis's only when it is configured. */
    probes: { database: () => Promise<void>; redis?: () => Promise<void> };
    /** The end-of-day e-mail, when SMTP_URL and REPORT_EMAIL_TO are set. */
    eod: EodReporter | undefined;
    /** Merges of the contains-search index's pending list (docs/decisions/0031). */
    searchIndexMerges: SearchIndexMerges;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  clock?: Clock;
  redis?: Redis | undefined;
  /** A pino logger instance or options; tests pass a capturing stream. */
  logger?: boolean | object;
  /** End-of-day e-mail retry waits (tests shorten them). */
  eodBackoffMs?: number[];
  /**
   * Fastify's schema compilers. The default compiles every route's validators and serializers
   * afresh (about a second on this machine); tests build an app per test, so they pass compilers
   * that keep what they compiled for the whole process (test/helpers/schema-compilers.ts).
   */
  compilersFactory?: NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'];
}

/** Headers and body fields that must never reach a log line. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.token',
  '*.csrfToken',
];

export async function buildApp(opts: BuildOptions): Promise<App> {
  const { config, database } = opts;
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      // A person at a terminal reads lines; a log collector (journald, docker, files) gets JSON.
      ...(config.logPretty
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {}),
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    ...(opts.compilersFactory ? { schemaController: { compilersFactory: opts.compilersFactory } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Live events for dashboards, shared by all processes (docs/decisions/0011-live-events.md).
  const live = createLiveHub({
    database,
    databaseUrl: config.databaseUrl,
    redis: opts.redis,
    onError: (err) => app.log.warn({ err }, 'live events'),
  });
  const ctx = createCtx({ config, database, redis: opts.redis, clock, live });
  app.decorate('config', config);
  app.decorate('ctx', ctx);
  app.decorate('database', database);
  const redis = opts.redis;
  app.decorate('probes', { database: () => database.ping(3000), ...(redis ? { redis: () => pingRedis(redis, 1000) } : {}) });
  app.decorate('live', live);
  app.addHook('onClose', async () => live.close());
  // Housekeeping (scanId answers, sessions, rate-limit windows): every process looks every few
  // minutes and the one that claims the hour's run purges (domain/housekeeping).
  const purge = setInterval(() => {
    runHousekeepingIfDue(ctx).catch((err: unknown) => app.log.warn({ err }, 'housekeeping'));
  }, HOUSEKEEPING_CHECK_MS).unref();
  app.addHook('onClose', async () => clearInterval(purge));
  // New codes wait in the search index's pending list; merged here, not by the scan that fills it.
  const merges = new SearchIndexMerges(ctx, config.searchIndexMergeMs, (err) => app.log.warn({ err }, 'search index merge'));
  merges.start();
  app.decorate('searchIndexMerges', merges);
  app.addHook('onClose', async () => merges.stop());
  // End-of-day e-mail: every process checks each minute; a unique row per day lets one send.
  let eod: EodReporter | undefined;
  if (config.smtpUrl && config.reportEmailTo) {
    const mailer = smtpMailer(config.smtpUrl);
    eod = new EodReporter(ctx, {
      tz: config.displayTimezone,
      time: config.eodReportTime,
      from: config.reportEmailFrom,
      to: config.reportEmailTo,
      mailer,
      backoffMs: opts.eodBackoffMs,
    });
    const timer = setInterval(() => void eod!.tick().catch((err: unknown) => app.log.warn({ err }, 'end-of-day e-mail')), 60_000).unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      mailer.close();
    });
  }
  app.decorate('eod', eod);

  if (!config.sessionSecret) throw new Error('buildApp needs config.sessionSecret');
  await app.register(cookie, { secret: rememberingSigner(config.sessionSecret) });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(errors);
  await app.register(metrics);
  await app.register(security);
  await app.register(inFlight);
  if (config.statementHold) {
    holdStatementsWhen(() => app.requestsInFlight() <= 1);
    app.addHook('onClose', async () => holdStatementsWhen(() => false));
  }
  await app.register(rateLimit, opts.redis ? { redis: opts.redis } : { store: databaseRateLimitStore(database.db, clock) });
  await app.register(auth);
  await app.register(totpEnrolment);
  await app.register(csrf);
  await app.register(assets);
  await app.register(openapi);

  for (const routes of [
    healthRoutes,
    statsRoutes,
    authRoutes,
    userRoutes,
    areaRoutes,
    scanRoutes,
    bagRoutes,
    billRoutes,
    authPages,
    dashboardPages,
    userPages,
    scanPages,
    billPages,
    billActionPages,
    auditRoutes,
    sessionRoutes,
    totpRoutes,
    settingsRoutes,
    profilePages,
    auditPages,
    areaPages,
    settingsPages,
    searchRoutes,
    bagReadRoutes,
    dashboardRoutes,
    liveRoutes,
    searchPages,
    bagPages,
    importRoutes,
    exportRoutes,
    importPages,
    returnRoutes,
    returnPages,
    bagCorrectionPages,
    reportRoutes,
    reportPages,
    reportEmailRoutes,
    reportEmailPage,
  ]) {
    await app.register(routes);
  }
  await app.ready();
  return app;
}
