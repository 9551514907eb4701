/**
 * GET /api/live: server-sent events for dashboards. Each message's data is a JSON array of live
 * events (domain/live/live.ts) this user may see; an `event: ready` message says the stream is
 * listening (the client re-reads its figures then, covering what happened before). A comment
 * line every 20 s keeps proxies from closing an idle stream and re-checks the session.
 * app.close() ends every stream first, so a stopping server is not held open by dashboards.
 * Only a request that accepts text/event-stream gets a stream (a plain request would hang).
 */
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { App } from '../../app.js';
import type { LiveHub } from '../../domain/live/live.js';
import { DomainError } from '../../domain/errors.js';
import { sessionStillValid } from '../../domain/live/live-session.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses } from '../schemas/common.js';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

export const HEARTBEAT_MS = 20_000;
/** Streams one process keeps open at most (each holds a socket and a little memory). */
const MAX_STREAMS = 2000;

export default async function liveRoutes(app: App) {
  const streams = new Map<ServerResponse, () => void>();

  app.get('/api/live', {
    config: { access: 'dashboard.read', stream: true },
    schema: {
      tags: ['dashboard'],
      produces: ['text/event-stream'],
      response: {
        200: Type.String({
          description:
            'Server-sent events: `event: ready`, then messages whose data is a JSON array of {at, action, outcome, ok, subject, related, area, actor, station}',
        }),
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const actor = requireActor(req);
      const sessionId = req.sessionId!;
      // A stream never ends by itself: only clients that ask for one (EventSource does) get one.
      if (!(req.headers.accept ?? '').includes('text/event-stream')) {
        throw new DomainError('validation_failed', 'This is a server-sent events stream: send Accept: text/event-stream');
      }
      if (streams.size >= MAX_STREAMS) throw new DomainError('rate_limited', 'Too many live streams: try again in a minute');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      let ended = false;
      let unsubscribe = () => {};
      const beat = setInterval(() => {
        sessionStillValid(app.ctx, sessionId).then(
          (valid) => (valid ? void res.write(': heartbeat\n\n') : end()),
          () => void res.write(': heartbeat\n\n'), // a database hiccup is no reason to drop dashboards
        );
      }, HEARTBEAT_MS);
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(beat);
        unsubscribe();
        streams.delete(res);
        res.end();
      };
      streams.set(res, end);
      req.raw.on('close', end);
      unsubscribe = await app.live.subscribe(actor, (events) => {
        if (!ended) res.write(`data: ${JSON.stringify(events)}\n\n`);
      });
      if (ended) {
        unsubscribe(); // the client left while the transport was starting
        return;
      }
      res.write('event: ready\ndata: {}\n\n');
    },
  });

  app.addHook('preClose', async () => {
    for (const end of [...streams.values()]) end();
  });
}
