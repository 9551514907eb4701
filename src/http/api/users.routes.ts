/**
 * Admin user management: GET/POST /api/users · PATCH /api/users/{id} · POST /api/users/{id}/password ·
 * GET /api/users/{id}/activity
 */
import { Type } from 'typebox';
import type { App } from '../../app.js';
import { createUser, listUsers, setPassword, updateUser } from '../../domain/users/users.service.js';
import { sourceOf } from '../../domain/audit/event.js';
import { AreaIdSchema, errorResponses, Nullable, presentUser, RoleSchema, UserSchema } from '../schemas/common.js';
import { ActivitySchema, presentActivity } from '../schemas/admin.schemas.js';
import { userActivity } from '../../domain/users/activity.service.js';
import { requireActor } from '../plugins/auth.js';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const Email = Type.String({ format: 'email', maxLength: 254 });

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }),
    password: Type.String({ maxLength: 200 }),
    role: RoleSchema,
    area: Type.Optional(Nullable(AreaIdSchema)),
    email: Type.Optional(Nullable(Email)),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    area: Type.Optional(Nullable(AreaIdSchema)),
    active: Type.Optional(Type.Boolean()),
    email: Type.Optional(Nullable(Email)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBody = Type.Object(
  { password: Type.String({ maxLength: 200 }), currentPassword: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export default async function userRoutes(app: App) {
  app.get('/api/users', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses } },
    handler: async () => ({ items: (await listUsers(app.ctx)).map(presentUser) }),
  });

  app.post('/api/users', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], body: CreateUserBody, response: { 201: Type.Object({ user: UserSchema }), ...errorResponses } },
    handler: async (req, reply) => {
      const { area, ...rest } = req.body;
      const user = await createUser(app.ctx, sourceOf(requireActor(req)), { ...rest, areaId: area });
      return reply.status(201).send({ user: presentUser(user) });
    },
  });

  app.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: {
      tags: ['users'],
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: Type.Object({ user: UserSchema }), ...errorResponses },
    },
    handler: async (req) => {
      const { area, ...rest } = req.body;
      const user = await updateUser(app.ctx, requireActor(req), req.params.id, {
        ...rest,
        ...(area !== undefined ? { areaId: area } : {}),
      });
      return { user: presentUser(user) };
    },
  });

  // Any logged-in user may reach it for their own password; the use case refuses the rest.
  app.post('/api/users/:id/password', {
    config: { access: 'session.use' },
    schema: { tags: ['users'], params: IdParams, body: PasswordBody, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await setPassword(app.ctx, requireActor(req), req.params.id, req.body, req.sessionId ?? undefined);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/users/:id/activity', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], params: IdParams, response: { 200: ActivitySchema, ...errorResponses } },
    handler: async (req) => presentActivity(await userActivity(app.ctx, req.params.id, app.config.displayTimezone)),
  });
}
