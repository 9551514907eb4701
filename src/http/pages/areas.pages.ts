/** /admin/areas: the dispatch areas page (admins). Settings and bag kinds: settings.pages.ts. */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { createArea, deleteArea, listAllAreas, updateArea } from '../../domain/areas/areas.service.js';
import { requireActor } from '../plugins/auth.js';
import { act, Csrf, Done, doneFlash, type Flash } from './form-action.js';
import { frameOf } from './frame.js';
import { areasView } from './views/areas.view.js';

const flashOf = doneFlash({ created: 'Area added.', saved: 'Changes saved.', deleted: 'Area deleted.' });
const AreaParams = Type.Object({ id: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }) });

export default async function areaPages(app: App) {
  async function renderAreas(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    return reply.page(areasView(frameOf(req, reply, 'Areas', { flash }), await listAllAreas(app.ctx)), status);
  }
  /** Post/Redirect/Get to `target`; a refusal shows the page again with the reason. */
  const done = (req: FastifyRequest, reply: FastifyReply, target: string, run: () => Promise<unknown>) =>
    act(reply, run, { next: () => target, refused: (flash, status) => renderAreas(req, reply, flash, status) });

  app.get('/admin/areas', {
    config: { access: 'areas.manage' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderAreas(req, reply, flashOf(req.query.done)),
  });

  app.post('/admin/areas', {
    config: { access: 'areas.manage' },
    schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 64 }), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, '/admin/areas?done=created', () => createArea(app.ctx, requireActor(req), { name: req.body.name })),
  });

  app.post('/admin/areas/:id', {
    config: { access: 'areas.manage' },
    schema: {
      hide: true,
      params: AreaParams,
      body: Type.Object({ name: Type.String({ maxLength: 64 }), active: Type.Boolean(), ...Csrf }),
    },
    handler: (req, reply) =>
      done(req, reply, '/admin/areas?done=saved', () =>
        updateArea(app.ctx, requireActor(req), req.params.id, { name: req.body.name, active: req.body.active }),
      ),
  });

  app.post('/admin/areas/:id/delete', {
    config: { access: 'areas.manage' },
    schema: { hide: true, params: AreaParams, body: Type.Optional(Type.Object(Csrf)) },
    handler: (req, reply) => done(req, reply, '/admin/areas?done=deleted', () => deleteArea(app.ctx, requireActor(req), req.params.id)),
  });
}
