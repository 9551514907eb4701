/** GET /api/search?q= : one box for any bag code or bill id (SPEC §5). */
import type { App } from '../../app.js';
import { search } from '../../domain/search/search.service.js';
import { requireActor } from '../plugins/auth.js';
import { presentBag } from '../schemas/bags.schemas.js';
import { errorResponses } from '../schemas/common.js';
import { presentBillHit, SearchQuery, SearchReply } from '../schemas/read.schemas.js';

export default async function searchRoutes(app: App) {
  app.get('/api/search', {
    config: { access: 'bags.read' },
    schema: { tags: ['search'], querystring: SearchQuery, response: { 200: SearchReply, ...errorResponses } },
    handler: async (req) => {
      const r = await search(app.ctx, requireActor(req), req.query.q);
      return { exact: r.exact, bags: r.bags.map(presentBag), bills: r.bills.map(presentBillHit) };
    },
  });
}
