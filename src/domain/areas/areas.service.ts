/** Dispatch areas: everyone reads the list; admins add to it. */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { appendEvent } from '../../storage/events.repository.js';
import { insertArea, listAreas as listAreaRows } from '../../storage/areas.repository.js';
import { sourceOf } from '../users/users.service.js';
import { areaIdFromName } from './area-scope.js';
import type { Area } from './area.js';

export function listAreas(ctx: Ctx): Promise<Area[]> {
  return listAreaRows(ctx.db);
}

export async function createArea(ctx: Ctx, actor: Actor, input: { name: string }): Promise<Area> {
  const name = input.name.replace(/\s+/g, ' ').trim();
  const id = areaIdFromName(name);
  if (name.length < 2 || name.length > 64 || id.length === 0) {
    throw new DomainError('validation_failed', 'An area name needs 2–64 characters, with letters or digits');
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const area = await insertArea(tx, { id, name });
    if (!area) throw new DomainError('duplicate_area', `An area named "${name}" already exists`);
    await appendEvent(tx, sourceOf(actor), { action: 'area.create', outcome: 'ok', subject: `area:${id}`, details: { name } }, now);
    return area;
  });
}
