/** /admin/settings: admin settings and the bag kinds (admins); the JSON side is api/settings.routes.ts. */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { listKinds, updateKind } from '../../domain/kinds/kinds.service.js';
import { loadSettings, updateSettings } from '../../domain/settings/settings.service.js';
import { requireActor } from '../plugins/auth.js';
import { act, Csrf, Done, doneFlash, type Flash } from './form-action.js';
import { frameOf } from './frame.js';
import { kindsSection } from './views/kinds.view.js';
import { settingsView } from './views/settings.view.js';

const flashOf = doneFlash({ saved: 'Changes saved.' });
/** A checkbox sends "false" (hidden field) and, when ticked, also "true": the last one wins. */
const ticked = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v) === 'true';

export default async function settingsPages(app: App) {
  async function renderSettings(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    const frame = frameOf(req, reply, 'Settings', { flash });
    const [settings, kinds] = await Promise.all([loadSettings(app.ctx), listKinds(app.ctx)]);
    return reply.page(settingsView(frame, settings, kindsSection(frame.csrfToken, kinds)), status);
  }
  /** Post/Redirect/Get to `target`; a refusal shows the page again with the reason. */
  const done = (req: FastifyRequest, reply: FastifyReply, target: string, run: () => Promise<unknown>) =>
    act(reply, run, { next: () => target, refused: (flash, status) => renderSettings(req, reply, flash, status) });

  app.get('/admin/settings', {
    config: { access: 'settings.manage' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderSettings(req, reply, flashOf(req.query.done)),
  });

  app.post('/admin/settings', {
    config: { access: 'settings.manage' },
    schema: {
      hide: true,
      body: Type.Object({
        requireAdminTotp: Type.Optional(
          Type.Union([Type.String({ maxLength: 5 }), Type.Array(Type.String({ maxLength: 5 }), { maxItems: 2 })]),
        ),
        ...Csrf,
      }),
    },
    handler: (req, reply) =>
      done(req, reply, '/admin/settings?done=saved', () =>
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
      done(req, reply, '/admin/settings?done=saved', () => {
        const { _csrf: _c, ...changes } = req.body;
        return updateKind(app.ctx, requireActor(req), req.params.kindId, changes);
      }),
  });
}
