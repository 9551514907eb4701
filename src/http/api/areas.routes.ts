/** GET /api/areas (everyone logged in) · POST /api/areas (admin) */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { createArea, listAreas } from '../../domain/areas/areas.service.js';
import { requireActor } from '../plugins/auth.js';
import { AreaSchema, errorResponses } from '../schemas/common.js';

export default async function areaRoutes(app: App) {
  app.get('/api/areas', {
    config: { access: 'areas.read' },
    schema: { tags: ['areas'], response: { 200: Type.Object({ items: Type.Array(AreaSchema) }), ...errorResponses } },
    handler: async () => ({ items: await listAreas(app.ctx) }),
  });

  app.post('/api/areas', {
    config: { access: 'areas.manage' },
    schema: {
      tags: ['areas'],
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ area: AreaSchema }), ...errorResponses },
    },
    handler: async (req, reply) => {
      const area = await createArea(app.ctx, requireActor(req), req.body);
      return reply.status(201).send({ area });
    },
  });
}
