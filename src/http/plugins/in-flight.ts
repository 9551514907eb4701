/**
 * The requests this process is serving now: counted from onRequest until the response closes
 * (sent, failed or abandoned by the client), so nothing is left counted. A route that streams for
 * as long as a page stays open (config.stream: the live dashboard) is not counted: it does no
 * work while it waits. app.ts holds the statements of a request served alone to the end of the
 * loop's turn (storage/prepared.ts, docs/decisions/0042).
 */
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with a stream that stays open (server-sent events). */
    stream?: boolean;
  }
  interface FastifyInstance {
    requestsInFlight(): number;
  }
}

export default fp(async (app) => {
  let inFlight = 0;
  const closed = () => void inFlight--;
  app.decorate('requestsInFlight', () => inFlight);
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.config.stream !== true) {
      inFlight++;
      reply.raw.once('close', closed);
    }
    done();
  });
});
