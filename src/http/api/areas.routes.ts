/** GET /api/areas (everyone logged in) · POST /api/areas · PATCH/DELETE /api/areas/{id} (admin) */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { createArea, deleteArea, listAreas, updateArea } from '../../domain/areas/areas.service.js';
import { requireActor } from '../plugins/auth.js';
import { AreaIdSchema, AreaSchema, errorResponses } from '../schemas/common.js';

const AreaParams = Type.Object({ id: AreaIdSchema });

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

  app.patch('/api/areas/:id', {
    config: { access: 'areas.manage' },
    schema: {
      tags: ['areas'],
      params: AreaParams,
      body: Type.Object(
        { name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), active: Type.Optional(Type.Boolean()) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: {
        200: Type.Object({ area: Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() }) }),
        ...errorResponses,
      },
    },
    handler: async (req) => ({ area: await updateArea(app.ctx, requireActor(req), req.params.id, req.body) }),
  });

  // Only an area nothing refers to; otherwise 409 area_in_use (deactivate it instead).
  app.delete('/api/areas/:id', {
    config: { access: 'areas.manage' },
    schema: { tags: ['areas'], params: AreaParams, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await deleteArea(app.ctx, requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  });
}
