/**
 * GET /search?q= : the header search box on every page lands here. An exact hit goes straight
 * to the bag or bill page (303); otherwise the suggestions. Same use case as GET /api/search.
 */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { can } from '../../domain/permissions.js';
import { search } from '../../domain/search/search.service.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { bagHref, billHref } from './views/bag.view.js';
import { searchView } from './views/search.view.js';

export default async function searchPages(app: App) {
  app.get('/search', {
    config: { access: 'bags.read' },
    schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 4096 })) }) },
    handler: async (req, reply) => {
      const actor = requireActor(req);
      const q = req.query.q ?? '';
      const r = await search(app.ctx, actor, q);
      if (r.exact) return reply.redirect(r.exact.type === 'bag' ? bagHref(r.exact.code) : billHref(r.exact.billId), 303);
      return reply.page(searchView(frameOf(req, reply, 'Search'), q, r, can(actor, 'bills.read')));
    },
  });
}
