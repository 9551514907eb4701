/**
 * /admin/users: list (with last login and scans today / 7 days), create, edit and reset
 * passwords; /admin/users/{id}: one user's activity. Admins only, through the user use cases.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import type { Role } from '../../domain/actor.js';
import { createUser, listUsers, setPassword, updateUser } from '../../domain/users/users.service.js';
import { sourceOf } from '../../domain/audit/event.js';
import { requireActor } from '../plugins/auth.js';
import { act, Csrf } from './form-action.js';
import { frameOf } from './frame.js';
import { usersView } from './views/users.view.js';
import { activityView } from './views/activity.view.js';
import { scanCountsFor, userActivity } from '../../domain/users/activity.service.js';

const DONE: Record<string, string> = {
  created: 'User created.',
  saved: 'Changes saved.',
  reset: 'Password reset; their sessions have ended.',
};
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('biller'), Type.Literal('dispatcher')]);

export default async function userPages(app: App) {
  async function render(req: FastifyRequest, reply: FastifyReply, flash?: { kind: 'ok' | 'error'; text: string }, status = 200) {
    const [users, areas] = await Promise.all([listUsers(app.ctx), listAreas(app.ctx)]);
    const counts = await scanCountsFor(app.ctx, users, app.config.displayTimezone);
    return reply.page(
      usersView(frameOf(req, reply, 'Users', { flash }), users, areas, { counts, timeZone: app.config.displayTimezone }),
      status,
    );
  }
  /** Post/Redirect/Get on success; on a refused change, the page again with the reason. */
  const done = (req: FastifyRequest, reply: FastifyReply, what: string, run: () => Promise<unknown>) =>
    act(reply, run, { next: () => `/admin/users?done=${what}`, refused: (flash, status) => render(req, reply, flash, status) });

  app.get('/admin/users', {
    config: { access: 'users.manage' },
    schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: (req, reply) => {
      const text = req.query.done ? DONE[req.query.done] : undefined;
      return render(req, reply, text ? { kind: 'ok', text } : undefined);
    },
  });

  app.get('/admin/users/:id', {
    config: { access: 'users.manage' },
    schema: { hide: true, params: IdParams },
    handler: async (req, reply) => {
      const activity = await userActivity(app.ctx, req.params.id, app.config.displayTimezone);
      return reply.page(activityView(frameOf(req, reply, `Activity of ${activity.user.username}`), activity, app.config.displayTimezone));
    },
  });

  app.post('/admin/users', {
    config: { access: 'users.manage' },
    schema: {
      hide: true,
      body: Type.Object({
        username: Type.String({ maxLength: 64 }),
        password: Type.String({ maxLength: 200 }),
        role: RoleSchema,
        area: Type.Optional(Type.String({ maxLength: 64 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        ...Csrf,
      }),
    },
    handler: (req, reply) =>
      done(req, reply, 'created', () =>
        createUser(app.ctx, sourceOf(requireActor(req)), {
          username: req.body.username.trim(),
          password: req.body.password,
          role: req.body.role as Role,
          areaId: req.body.area || null,
          email: req.body.email?.trim() || null,
        }),
      ),
  });

  app.post('/admin/users/:id', {
    config: { access: 'users.manage' },
    schema: {
      hide: true,
      params: IdParams,
      body: Type.Object({ role: RoleSchema, area: Type.Optional(Type.String({ maxLength: 64 })), active: Type.Boolean(), ...Csrf }),
    },
    handler: (req, reply) =>
      done(req, reply, 'saved', () =>
        updateUser(app.ctx, requireActor(req), req.params.id, {
          role: req.body.role as Role,
          active: req.body.active,
          ...(req.body.area !== undefined ? { areaId: req.body.area || null } : {}),
        }),
      ),
  });

  app.post('/admin/users/:id/password', {
    config: { access: 'users.manage' },
    schema: { hide: true, params: IdParams, body: Type.Object({ password: Type.String({ maxLength: 200 }), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, 'reset', () =>
        setPassword(app.ctx, requireActor(req), req.params.id, { password: req.body.password }, req.sessionId ?? undefined),
      ),
  });
}
