/** Domain objects → API shapes (camelCase, `area` for the area id, ISO times). */
import type { User } from '../domain/users/user.js';

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
