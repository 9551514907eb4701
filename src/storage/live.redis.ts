/**
 * Live events over Redis pub/sub (when REDIS_URL is set): PUBLISH on the app's connection,
 * SUBSCRIBE on a second one (a subscribed connection can do nothing else), opened on the first
 * subscriber. ioredis reconnects and re-subscribes by itself; while Redis is away, publishing
 * fails quietly (the hub logs it) and scans go on.
 */
import type { Redis } from 'ioredis';
import type { LiveEvent, LiveTransport } from '../domain/live/live.js';

/**
 * Pub/sub channels belong to the whole Redis server, not to a logical database: the channel
 * carries the database number, so two sites (or two test runs) on one Redis with different
 * databases never see each other's events.
 */
export const liveRedisChannel = (redis: Redis): string => `tt:live:${redis.options.db ?? 0}`;

export function redisTransport(redis: Redis, onError: (err: unknown) => void): LiveTransport {
  const channel = liveRedisChannel(redis);
  let sub: Redis | undefined;
  let started: Promise<void> | undefined;
  let onBatch: (batch: LiveEvent[]) => void = () => {};

  return {
    async send(batch) {
      await redis.publish(channel, JSON.stringify(batch));
    },
    start(handler) {
      onBatch = handler;
      started ??= (async () => {
        // Queue commands while (re)connecting: the subscription must survive a Redis restart.
        sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
        sub.on('error', onError);
        sub.on('message', (from: string, message: string) => {
          if (from !== channel) return;
          try {
            onBatch(JSON.parse(message) as LiveEvent[]);
          } catch (err) {
            onError(err);
          }
        });
        await sub.subscribe(channel).catch(onError);
      })();
      return started;
    },
    async close() {
      sub?.disconnect();
      sub = undefined;
    },
  };
}
