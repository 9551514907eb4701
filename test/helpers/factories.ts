/** Factories with overrides: users through the real use case, so the rules apply. */
import type { Role } from '../../src/domain/actor.js';
import { systemSource } from '../../src/domain/audit/event.js';
import { createUser } from '../../src/domain/users/users.service.js';
import type { User } from '../../src/domain/users/user.js';
import type { App } from '../../src/app.js';

export const PASSWORD = 'correct-horse-battery-7';
let seq = 0;

export interface UserOverrides {
  username?: string;
  role?: Role;
  areaId?: string | null;
  password?: string;
  email?: string | null;
}

export async function makeUser(app: App, o: UserOverrides = {}): Promise<User> {
  const role = o.role ?? 'dispatcher';
  seq += 1;
  return createUser(app.ctx, systemSource, {
    username: o.username ?? `${role}_${seq}_${Math.random().toString(36).slice(2, 6)}`,
    password: o.password ?? PASSWORD,
    role,
    areaId: o.areaId !== undefined ? o.areaId : role === 'dispatcher' ? 'lucknow' : null,
    email: o.email ?? null,
  });
}
