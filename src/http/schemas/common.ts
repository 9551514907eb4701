/** Shared TypeBox schemas. Response schemas are allow-lists: a field not listed never leaves. */
import { Type, type Static } from 'typebox';
import type { User } from '../../domain/users/user.js';

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }),
});

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  423: ErrorSchema,
  429: ErrorSchema,
};

export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('biller'), Type.Literal('dispatcher')]);
export const AreaIdSchema = Type.String({ pattern: '^[a-z0-9_]{1,64}$' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Nullable(Type.String()),
  role: RoleSchema,
  area: Nullable(Type.String()),
  active: Type.Boolean(),
  lastLoginAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type UserDto = Static<typeof UserSchema>;

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  area: Nullable(Type.String()),
});

export const AreaSchema = Type.Object({ id: Type.String(), name: Type.String() });

export const NoContent = Type.Null();

/** Domain users → API shapes (`area` for the area id, ISO times). */
export const presentUser = (u: User) => ({
  id: u.id,
  username: u.username,
  email: u.email,
  role: u.role,
  area: u.areaId,
  active: u.active,
  lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
  createdAt: u.createdAt.toISOString(),
});

export const presentSessionUser = (u: User) => ({ id: u.id, username: u.username, role: u.role, area: u.areaId });
