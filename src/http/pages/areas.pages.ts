/** /admin/areas and /admin/settings: dispatch areas, admin settings and bag kinds pages (admins). */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { createArea, deleteArea, listAllAreas, updateArea } from '../../domain/areas/areas.service.js';
import { loadSettings, updateSettings } from '../../domain/settings/settings.service.js';
import { requireActor } from '../plugins/auth.js';
import { act } from './form-action.js';
import { frameOf } from './frame.js';
import { areasView } from './views/areas.view.js';
import { settingsView } from './views/settings.view.js';
import { kindsSection } from './views/kinds.view.js';
import { listKinds, updateKind } from '../../domain/kinds/kinds.service.js';

type Flash = { kind: 'ok' | 'error'; text: string } | undefined;
const DONE: Record<string, string> = { created: 'Area added.', saved: 'Changes saved.', deleted: 'Area deleted.' };
const Csrf = { _csrf: Type.Optional(Type.String()) };
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const AreaParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }) });
const flashOf = (done: string | undefined): Flash => (done && DONE[done] ? { kind: 'ok', text: DONE[done] } : undefined);
/** A checkbox sends "false" (hidden field) and, when ticked, also "true": the last one wins. */
const ticked = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v) === 'true';

export default async function areaPages(app: App) {
  async function renderAreas(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    return reply.page(areasView(frameOf(req, reply, 'Areas', { flash }), await listAllAreas(app.ctx)), status);
  }
  async function renderSettings(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    const frame = frameOf(req, reply, 'Settings', { flash });
    const [settings, kinds] = await Promise.all([loadSettings(app.ctx), listKinds(app.ctx)]);
    return reply.page(settingsView(frame, settings, kindsSection(frame.csrfToken, kinds)), status);
  }
  /** Post/Redirect/Get to `target`; a refusal shows `render`'s page again with the reason. */
  const done = (req: FastifyRequest, reply: FastifyReply, render: typeof renderAreas, target: string, run: () => Promise<unknown>) =>
    act(reply, run, { next: () => target, refused: (flash, status) => render(req, reply, flash, status) });

  app.get('/admin/areas', {
    config: { access: 'areas.manage' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderAreas(req, reply, flashOf(req.query.done)),
  });

  app.post('/admin/areas', {
    config: { access: 'areas.manage' },
    schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 64 }), ...Csrf }) },
    handler: (req, reply) => done(req, reply, renderAreas, '/admin/areas?done=created', () => createArea(app.ctx, requireActor(req), { name: req.body.name })),
  });

  app.post('/admin/areas/:id', {
    config: { access: 'areas.manage' },
    schema: { hide: true, params: AreaParams, body: Type.Object({ name: Type.String({ maxLength: 64 }), active: Type.Boolean(), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, renderAreas, '/admin/areas?done=saved', () =>
        updateArea(app.ctx, requireActor(req), req.params.id, { name: req.body.name, active: req.body.active }),
      ),
  });

  app.post('/admin/areas/:id/delete', {
    config: { access: 'areas.manage' },
    schema: { hide: true, params: AreaParams, body: Type.Optional(Type.Object(Csrf)) },
    handler: (req, reply) => done(req, reply, renderAreas, '/admin/areas?done=deleted', () => deleteArea(app.ctx, requireActor(req), req.params.id)),
  });

  app.get('/admin/settings', {
    config: { access: 'settings.manage' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderSettings(req, reply, flashOf(req.query.done)),
  });

  app.post('/admin/settings', {
    config: { access: 'settings.manage' },
    schema: {
      hide: true,
      body: Type.Object({ requireAdminTotp: Type.Optional(Type.Union([Type.String({ maxLength: 5 }), Type.Array(Type.String({ maxLength: 5 }), { maxItems: 2 })])), ...Csrf }),
    },
    handler: (req, reply) =>
      done(req, reply, renderSettings, '/admin/settings?done=saved', () =>
        updateSettings(app.ctx, requireActor(req), { requireAdminTotp: ticked(req.body.requireAdminTotp) }),
      ),
  });

  app.post('/admin/settings/kinds/:kindId', {
    config: { access: 'settings.manage' },
    schema: {
      hide: true,
      params: Type.Object({ kindId: Type.String({ pattern: '^[A-Z0-9_]{1,32}$' }) }),
      body: Type.Object({
        name: Type.String({ maxLength: 64 }),
        pattern: Type.String({ maxLength: 200 }),
        capacity: Type.Optional(Type.Integer()),
        expectedWeightKg: Type.Integer(),
        active: Type.Boolean(),
        ...Csrf,
      }),
    },
    handler: (req, reply) =>
      done(req, reply, renderSettings, '/admin/settings?done=saved', () => {
        const { _csrf: _c, ...changes } = req.body;
        return updateKind(app.ctx, requireActor(req), req.params.kindId, changes);
      }),
  });
}
