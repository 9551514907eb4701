/** Admin settings: GET/PATCH /api/settings · GET /api/settings/bag-kinds · PATCH /api/settings/bag-kinds/{kindId} */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { loadSettings, updateSettings } from '../../domain/settings/settings.service.js';
import { listKinds, updateKind } from '../../domain/kinds/kinds.service.js';
import type { BagKind } from '../../domain/codes.js';
import { requireActor } from '../plugins/auth.js';
import { SettingsSchema } from '../schemas/admin.schemas.js';
import { errorResponses, Nullable } from '../schemas/common.js';

const KindSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Union([Type.Literal('parent'), Type.Literal('child')]),
  pattern: Type.String(),
  capacity: Nullable(Type.Integer()),
  expectedWeightKg: Type.Integer(),
  active: Type.Boolean(),
});
const presentKind = (k: BagKind) => ({
  id: k.id,
  name: k.name,
  type: k.type,
  pattern: k.pattern,
  capacity: k.capacity,
  expectedWeightKg: k.expectedWeightKg,
  active: k.active,
});

export default async function settingsRoutes(app: App) {
  app.get('/api/settings', {
    config: { access: 'settings.manage' },
    schema: { tags: ['settings'], response: { 200: Type.Object({ settings: SettingsSchema }), ...errorResponses } },
    handler: async () => ({ settings: await loadSettings(app.ctx) }),
  });

  app.patch('/api/settings', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['settings'],
      body: Type.Partial(SettingsSchema, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Type.Object({ settings: SettingsSchema }), ...errorResponses },
    },
    handler: async (req) => ({ settings: await updateSettings(app.ctx, requireActor(req), req.body) }),
  });

  app.get('/api/settings/bag-kinds', {
    config: { access: 'settings.manage' },
    schema: { tags: ['settings'], response: { 200: Type.Object({ items: Type.Array(KindSchema) }), ...errorResponses } },
    handler: async () => ({ items: (await listKinds(app.ctx)).map(presentKind) }),
  });

  app.patch('/api/settings/bag-kinds/:kindId', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['settings'],
      params: Type.Object({ kindId: Type.String({ pattern: '^[A-Z0-9_]{1,32}$' }) }),
      body: Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 64 })),
          pattern: Type.Optional(Type.String({ maxLength: 200 })),
          capacity: Type.Optional(Type.Integer()),
          expectedWeightKg: Type.Optional(Type.Integer()),
          active: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: Type.Object({ kind: KindSchema }), ...errorResponses },
    },
    handler: async (req) => ({ kind: presentKind(await updateKind(app.ctx, requireActor(req), req.params.kindId, req.body)) }),
  });
}
