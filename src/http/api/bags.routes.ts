/**
 * Bag actions: POST /api/bags/{code}/complete · /reopen · /move · DELETE /api/bags/{code}.
 * Supervisor corrections (reopen, move, delete) take a reason kept in the history.
 */
import type { App } from '../../app.js';
import { completeParent, deleteBag, reopenParent } from '../../domain/bags/bags.service.js';
import { moveChild } from '../../domain/bags/corrections.service.js';
import { requireActor } from '../plugins/auth.js';
import { errorResponses, NoContent } from '../schemas/common.js';
import { BagCodeParams, BagReply, MoveBody, MoveReply, presentBag, ReasonBody } from '../schemas/bags.schemas.js';

export default async function bagRoutes(app: App) {
  // Finishing short is part of scanning: every role may do it (the station asks first).
  app.post('/api/bags/:code/complete', {
    config: { access: 'scans.write' },
    schema: { tags: ['bags'], params: BagCodeParams, response: { 200: BagReply, ...errorResponses } },
    handler: async (req) => ({ bag: presentBag(await completeParent(app.ctx, requireActor(req), req.params.code)) }),
  });

  app.post('/api/bags/:code/reopen', {
    config: { access: 'bags.reopen' },
    schema: { tags: ['bags'], params: BagCodeParams, body: ReasonBody, response: { 200: BagReply, ...errorResponses } },
    handler: async (req) => ({
      bag: presentBag(await reopenParent(app.ctx, requireActor(req), req.params.code, { reason: req.body?.reason })),
    }),
  });

  app.delete('/api/bags/:code', {
    config: { access: 'bags.delete' },
    schema: { tags: ['bags'], params: BagCodeParams, body: ReasonBody, response: { 204: NoContent, ...errorResponses } },
    handler: async (req, reply) => {
      await deleteBag(app.ctx, requireActor(req), req.params.code, { reason: req.body?.reason });
      return reply.status(204).send(null);
    },
  });

  // A supervisor's correction: unlink + link in one transaction, the target checked like a child scan.
  app.post('/api/bags/:code/move', {
    config: { access: 'scans.unlink' },
    schema: { tags: ['bags'], params: BagCodeParams, body: MoveBody, response: { 200: MoveReply, ...errorResponses } },
    handler: async (req) => {
      const r = await moveChild(app.ctx, requireActor(req), req.params.code, req.body);
      return { child: presentBag(r.child), from: presentBag(r.from), to: presentBag(r.to) };
    },
  });
}
