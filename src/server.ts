/**
 * Process entry: config → database → migrate → start-up accounts → app → listen.
 * WORKERS=N forks N processes (node:cluster) sharing one PostgreSQL; SIGTERM finishes in-flight
 * requests and closes pools.
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { bootstrapAccounts } from './domain/users/bootstrap.js';
import { DomainError } from './domain/errors.js';
import { DataDirLockedError } from './storage/data-dir-lock.js';
import { isDatabaseUnavailable } from './storage/errors.js';
import { createCtx, openConfiguredDatabase, openRedis, resolveSessionSecret } from './runtime.js';

function banner(password: string): string {
  const line = '='.repeat(64);
  return [
    '',
    line,
    '  TraceTrack first start: an admin account was created.',
    '',
    '  username: admin',
    `  password: ${password}`,
    '',
    '  This password is shown once and never again. Log in and change it,',
    '  or reset it later with: npm run cli -- reset-password admin',
    line,
    '',
  ].join('\n');
}

/** Migrations and start-up accounts run once, in the primary, before any worker starts. */
async function prepare(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    const result = await bootstrapAccounts(createCtx({ config, database }), config);
    if (result.generatedAdminPassword) process.stdout.write(banner(result.generatedAdminPassword));
  } finally {
    await database.close();
  }
}

async function serve(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  const redis = openRedis(config);
  const app = await buildApp({ config, database, redis });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      await app.close();
      await database.close();
      redis?.disconnect();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await database.warmUp();
  await app.listen({ port: config.port, host: config.host });
}

/** A worker's exit code when it could not start only because the database was away (EX_TEMPFAIL). */
const EXIT_DATABASE_AWAY = 75;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

async function main(): Promise<void> {
  const config = resolveSessionSecret(loadConfig());
  if (cluster.isPrimary) {
    await prepare(config);
    if (config.workers === 1) return serve(config);
    for (let i = 0; i < config.workers; i++) cluster.fork();
    let stopping = false;
    const serving = new Set<number>();
    cluster.on('listening', (worker) => serving.add(worker.id));
    let retryMs = FIRST_RETRY_MS;
    cluster.on('listening', () => (retryMs = FIRST_RETRY_MS));
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      if (code === EXIT_DATABASE_AWAY) {
        // The database is away (restart, failover): it comes back, so try again, backing off,
        // while the other workers answer 503. Never a reason to stop the server (issue 12).
        console.error(`worker ${worker.process.pid} could not reach the database; another try in ${retryMs} ms`);
        setTimeout(() => stopping || cluster.fork(), retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        return;
      }
      if (!serving.has(worker.id)) {
        // It never served for another reason (port taken…): a new one would fail the same way, in a loop.
        console.error(`worker ${worker.process.pid} could not start (${code}); stopping`);
        stopAll();
        process.exitCode = 1;
        return;
      }
      console.error(`worker ${worker.process.pid} exited (${code}); starting a new one`);
      cluster.fork();
    });
    const stopAll = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    process.on('SIGTERM', stopAll);
    process.on('SIGINT', stopAll);
    return;
  }
  await serve(config);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else if (!cluster.isPrimary && isDatabaseUnavailable(err)) {
    console.error(`TraceTrack worker could not reach the database: ${(err as Error).message}`);
    process.exit(EXIT_DATABASE_AWAY);
  } else if (err instanceof DomainError) {
    console.error(`Start-up refused: ${err.message} (${err.code}). Check ADMIN_PASSWORD / BILLER_PASSWORD / DISPATCHER_PASSWORD.`);
  } else {
    console.error('TraceTrack failed to start:', err);
  }
  process.exit(1);
});
