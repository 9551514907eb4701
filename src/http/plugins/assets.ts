/**
 * Static files from ./public under /assets (the app serves all its own assets: no CDN), and
 * reply.page() for HTML answers.
 */
import fp from 'fastify-plugin';
import path from 'node:path';
import { ROOT } from '../../lib/paths.js';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import type { Html } from '../../lib/html.js';

export const PUBLIC_DIR = path.join(ROOT, 'public');

declare module 'fastify' {
  interface FastifyReply {
    page(body: Html, status?: number): FastifyReply;
  }
}

export default fp(async (app) => {
  await app.register(fastifyStatic, { root: PUBLIC_DIR, serve: false });
  app.decorateReply('page', function (body: Html, status = 200) {
    return this.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
  });
  app.get('/assets/*', {
    config: { access: 'public' },
    schema: { hide: true, params: Type.Object({ '*': Type.String({ pattern: '^[A-Za-z0-9_./-]+$' }) }) },
    handler: (req, reply) => {
      const file = (req.params as { '*': string })['*'];
      if (file.includes('..')) return reply.callNotFound();
      return reply.header('cache-control', 'public, max-age=300').sendFile(file);
    },
  });
});
