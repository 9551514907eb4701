/**
 * Dispatcher area scoping, the piece every read and write path calls: dispatchers work in
 * their own dispatch area only; admins and billers work everywhere.
 */
import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';

/** The area a query must be limited to, or null for "all areas". */
export function scopedArea(actor: Pick<Actor, 'role' | 'areaId'>): string | null {
  return actor.role === 'dispatcher' ? actor.areaId : null;
}

/** Throws wrong_area when a dispatcher touches something of another area. */
export function assertAreaAccess(actor: Pick<Actor, 'role' | 'areaId'>, areaId: string): void {
  const scope = scopedArea(actor);
  if (scope !== null && scope !== areaId) {
    throw new DomainError('wrong_area', 'This belongs to another dispatch area', { area: areaId });
  }
}

/** For reads: may this actor see something of that area at all? */
export function canSeeArea(actor: Pick<Actor, 'role' | 'areaId'>, areaId: string): boolean {
  const scope = scopedArea(actor);
  return scope === null || scope === areaId;
}

/** The slug id of an area name: "Sri Ganganagar" → "sri_ganganagar". */
export function areaIdFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}
