/**
 * Rate limits shared by every process: counters in Redis when REDIS_URL is set, otherwise in the
 * database (rate_limits table). Only routes that opt in (`config.rateLimit`) are limited.
 */
import fp from 'fastify-plugin';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

/** Redis counters, or a store app.ts builds over the database (storage/rate-limits.repository.ts). */
export type RateLimitOptions = { redis: Redis } | { store: unknown };

export default fp<RateLimitOptions>(async (app, opts) => {
  await app.register(rateLimit, {
    global: false,
    ...('redis' in opts ? { redis: opts.redis, nameSpace: 'tt:rl:' } : { store: opts.store as RateLimitPluginOptions['store'] }),
    // Redis or database trouble must not lock everyone out of logging in.
    skipOnError: true,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Too many attempts from this address: try again in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
});
