/**
 * The only reader of process.env. Parses every variable once, freezes the result and fails
 * fast with the full list of bad variables, so an operator fixes them all in one go.
 */
import path from 'node:path';
import { DEFAULT_SCAN_CALL_SLOTS } from './storage/scans.repository.js';
import { KNOWN_PARENTS_MAX } from './storage/known-parents.js';

/**
 * PostgreSQL connections per process. Four, not more, on the two-core machine the bar is set on:
 * fewer statements run at once beside the server, and in six alternated pairs of paced minutes
 * against ten, child scans' and searches' p99s fell in all six, the dashboard's in five
 * (docs/decisions/0039). A larger machine raises it.
 */
export const DEFAULT_DB_POOL_SIZE = 4;

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly workers: number;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** Human-readable logs (pino-pretty): LOG_FORMAT=pretty, or `auto` (default) when stdout is a terminal; else JSON lines. */
  readonly logPretty: boolean;
  readonly databaseUrl: string | undefined;
  readonly dbPoolSize: number;
  /** Scan read calls, and child-scan write calls, in flight per process; scans that arrive meanwhile go together (docs/decisions/0030). */
  readonly scanCallSlots: number;
  /** Parents each process remembers from its last link into them, to skip the next scan's read (0: none; docs/decisions/0032). */
  readonly rememberedParents: number;
  /** How often each process merges the contains-search index's pending list (0: never; docs/decisions/0031). */
  readonly searchIndexMergeMs: number;
  /** A request served alone sends its statements at the end of the loop's turn (STATEMENT_HOLD, default on; docs/decisions/0042). */
  readonly statementHold: boolean;
  readonly redisUrl: string | undefined;
  /** Undefined in embedded mode until the data directory provides one (see server.ts). */
  readonly sessionSecret: string | undefined;
  readonly adminPassword: string | undefined;
  readonly createTestUsers: boolean;
  readonly billerPassword: string | undefined;
  readonly dispatcherPassword: string | undefined;
  readonly displayTimezone: string;
  readonly sessionIdleMinutes: number;
  /** How long a process remembers a found session (docs/decisions/0027); 0: never. */
  readonly sessionCacheMs: number;
  readonly sessionAbsoluteHours: number;
  readonly trustProxy: boolean;
  readonly loginRateLimitPerMinute: number;
  readonly bodyLimitBytes: number;
  /** Bearer token that may read /metrics without an admin session (a Prometheus scraper). */
  readonly metricsToken: string | undefined;
  /** End-of-day report e-mail (SPEC §12): sent only when both SMTP_URL and REPORT_EMAIL_TO are set. */
  readonly smtpUrl: string | undefined;
  readonly reportEmailTo: string | undefined;
  readonly reportEmailFrom: string;
  /** HH:MM in the display time zone. */
  readonly eodReportTime: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses an environment (process.env by default) into a frozen Config or throws ConfigError. */
export function loadConfig(env: Env = process.env, stdoutIsTty = process.stdout.isTTY === true): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const bool = (name: string): boolean => {
    const raw = str(name);
    if (raw === undefined) return false;
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return false;
  };

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const redisUrl = str('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  const logLevel = (str('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const logFormat = (str('LOG_FORMAT') ?? 'auto').toLowerCase();
  if (!['auto', 'pretty', 'json'].includes(logFormat)) problems.push('LOG_FORMAT must be auto, pretty or json');
  const logPretty = logFormat === 'pretty' || (logFormat === 'auto' && stdoutIsTty);

  const sessionSecret = str('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters');
  }
  if (databaseUrl && sessionSecret === undefined) {
    problems.push('SESSION_SECRET is required when DATABASE_URL is set (every process must sign cookies alike)');
  }

  const metricsToken = str('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');

  const createTestUsers = bool('CREATE_TEST_USERS');
  const billerPassword = str('BILLER_PASSWORD');
  const dispatcherPassword = str('DISPATCHER_PASSWORD');
  if (createTestUsers && !billerPassword) problems.push('BILLER_PASSWORD is required when CREATE_TEST_USERS=true');
  if (createTestUsers && !dispatcherPassword) problems.push('DISPATCHER_PASSWORD is required when CREATE_TEST_USERS=true');

  const displayTimezone = str('DISPLAY_TIMEZONE') ?? 'Asia/Kolkata';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: displayTimezone });
  } catch {
    problems.push(`DISPLAY_TIMEZONE "${displayTimezone}" is not a known time zone`);
  }

  const smtpUrl = str('SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const reportEmailTo = str('REPORT_EMAIL_TO');
  if (reportEmailTo && !reportEmailTo.split(',').every((a) => /^[^\s@,]+@[^\s@,]+$/.test(a.trim())))
    problems.push('REPORT_EMAIL_TO must be one or more e-mail addresses, comma-separated');
  const reportEmailFrom = str('REPORT_EMAIL_FROM') ?? 'TraceTrack <tracetrack@localhost>';
  const eodReportTime = str('EOD_REPORT_TIME') ?? '18:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(eodReportTime)) problems.push(`EOD_REPORT_TIME must be HH:MM, 24-hour (got "${eodReportTime}")`);

  const workers = int('WORKERS', 1, 1, 64);
  if (workers > 1 && !databaseUrl) {
    problems.push('WORKERS>1 needs DATABASE_URL: the embedded database serves one process only');
  }

  const config: Config = {
    port: int('PORT', 5000, 0, 65535),
    host: str('HOST') ?? '0.0.0.0',
    workers,
    dataDir: path.resolve(str('DATA_DIR') ?? './data'),
    logLevel,
    logPretty,
    databaseUrl,
    dbPoolSize: int('DB_POOL_SIZE', DEFAULT_DB_POOL_SIZE, 1, 500),
    scanCallSlots: int('SCAN_CALL_SLOTS', DEFAULT_SCAN_CALL_SLOTS, 1, 500),
    rememberedParents: int('REMEMBERED_PARENTS', KNOWN_PARENTS_MAX, 0, 1_000_000),
    searchIndexMergeMs: int('SEARCH_INDEX_MERGE_MS', 1000, 0, 3_600_000),
    statementHold: str('STATEMENT_HOLD') === undefined || bool('STATEMENT_HOLD'),
    redisUrl,
    sessionSecret,
    adminPassword: str('ADMIN_PASSWORD'),
    createTestUsers,
    billerPassword,
    dispatcherPassword,
    displayTimezone,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionCacheMs: int('SESSION_CACHE_MS', 2000, 0, 60_000),
    sessionAbsoluteHours: int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    trustProxy: bool('TRUST_PROXY'),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 300, 1, 100000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
    metricsToken,
    smtpUrl,
    reportEmailTo,
    reportEmailFrom,
    eodReportTime,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** A config for tests and tools: defaults plus overrides, skipping the environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent' }, false);
  return Object.freeze({ ...base, ...overrides });
}
