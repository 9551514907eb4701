/**
 * GET /api/bags (filtered list, keyset pages) · GET /api/bags/{code} (bag, parent or children,
 * bill, timeline). The bag actions (complete, reopen, delete) live in bags.routes.ts.
 */
import type { App } from '../../app.js';
import { listBags } from '../../domain/bags/bag-list.service.js';
import { bagPage } from '../../domain/bags/bag-page.service.js';
import { presentEvent } from '../schemas/admin.schemas.js';
import { requireActor } from '../plugins/auth.js';
import { BagCodeParams, presentBag } from '../schemas/bags.schemas.js';
import { presentBill } from '../schemas/bills.schemas.js';
import { errorResponses } from '../schemas/common.js';
import { BagListQuery, BagListReply, BagPageQuery, BagPageReply, presentChild } from '../schemas/read.schemas.js';

export default async function bagReadRoutes(app: App) {
  app.get('/api/bags', {
    config: { access: 'bags.read' },
    schema: { tags: ['bags'], querystring: BagListQuery, response: { 200: BagListReply, ...errorResponses } },
    handler: async (req) => {
      const { cursor, limit, from, to, ...filter } = req.query;
      const page = await listBags(
        app.ctx,
        requireActor(req),
        { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        { cursor, limit },
      );
      return { items: page.items.map(presentBag), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/bags/:code', {
    config: { access: 'bags.read' },
    schema: { tags: ['bags'], params: BagCodeParams, querystring: BagPageQuery, response: { 200: BagPageReply, ...errorResponses } },
    handler: async (req) => {
      const p = await bagPage(app.ctx, requireActor(req), req.params.code, req.query);
      return {
        bag: presentBag(p.bag),
        parent: p.parent ? presentBag(p.parent) : null,
        children: p.children.items.map(presentChild),
        childrenNextCursor: p.children.nextCursor,
        bill: p.bill ? presentBill(p.bill) : null,
        history: p.history.items.map(presentEvent),
        historyNextCursor: p.history.nextCursor,
      };
    },
  });
}
