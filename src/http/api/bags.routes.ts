/** Bag actions: POST /api/bags/{code}/complete · POST /api/bags/{code}/reopen · DELETE /api/bags/{code} */
import type { App } from '../../app.js';
import { completeParent, deleteBag, reopenParent } from '../../domain/bags/bags.service.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses, NoContent } from '../schemas/common.js';
import { BagCodeParams, BagReply, presentBag } from '../schemas/bags.schemas.js';

export default async function bagRoutes(app: App) {
  // Finishing short is part of scanning: every role may do it (the station asks first).
  app.post('/api/bags/:code/complete', {
    config: { access: 'scans.write' },
    schema: { tags: ['bags'], params: BagCodeParams, response: { 200: BagReply, ...errorResponses } },
    handler: async (req) => ({ bag: presentBag(await completeParent(app.ctx, requireActor(req), req.params.code)) }),
  });

  app.post('/api/bags/:code/reopen', {
    config: { access: 'bags.reopen' },
    schema: { tags: ['bags'], params: BagCodeParams, response: { 200: BagReply, ...errorResponses } },
    handler: async (req) => ({ bag: presentBag(await reopenParent(app.ctx, requireActor(req), req.params.code)) }),
  });

  app.delete('/api/bags/:code', {
    config: { access: 'bags.delete' },
    schema: { tags: ['bags'], params: BagCodeParams, response: { 204: NoContent, ...errorResponses } },
    handler: async (req, reply) => {
      await deleteBag(app.ctx, requireActor(req), req.params.code);
      return reply.status(204).send(null);
    },
  });
}
