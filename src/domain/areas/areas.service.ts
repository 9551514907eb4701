/** Dispatch areas: everyone reads the list; admins add, rename, deactivate and delete unused ones. */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { appendEvent } from '../../storage/events.repository.js';
import {
  areaInUse,
  areaNameTaken,
  deleteArea as deleteAreaRow,
  insertArea,
  listAreas as listAreaRows,
  lockArea,
  updateArea as updateAreaRow,
} from '../../storage/areas.repository.js';
import { sourceOf } from '../audit/event.js';
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

/** Every area, inactive ones included (the admin page). */
export function listAllAreas(ctx: Ctx): Promise<Area[]> {
  return listAreaRows(ctx.db, { includeInactive: true });
}

const cleanName = (name: string) => name.replace(/\s+/g, ' ').trim();

/**
 * Rename or (de)activate. The id never changes: users, bags and history name areas by id, so a
 * rename only changes what people read. A deactivated area is offered to nobody new.
 */
export async function updateArea(ctx: Ctx, actor: Actor, id: string, changes: { name?: string; active?: boolean }): Promise<Area> {
  const name = changes.name === undefined ? undefined : cleanName(changes.name);
  if (name !== undefined && (name.length < 2 || name.length > 64 || areaIdFromName(name).length === 0)) {
    throw new DomainError('validation_failed', 'An area name needs 2–64 characters, with letters or digits');
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await lockArea(tx, id);
    if (!before) throw new DomainError('not_found', 'No such area');
    if (name !== undefined && (await areaNameTaken(tx, name, id))) {
      throw new DomainError('duplicate_area', `An area named "${name}" already exists`);
    }
    const after = await updateAreaRow(tx, id, {
      ...(name !== undefined ? { name } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
    });
    await appendEvent(
      tx,
      sourceOf(actor),
      {
        action: 'area.update',
        outcome: 'ok',
        subject: `area:${id}`,
        details: { before: { name: before.name, active: before.active }, after: { name: after.name, active: after.active } },
      },
      now,
    );
    return after;
  });
}

/** Deletes an area nothing refers to; one in use answers area_in_use (deactivate it instead). */
export async function deleteArea(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const area = await lockArea(tx, id);
    if (!area) throw new DomainError('not_found', 'No such area');
    if (await areaInUse(tx, id)) throw new DomainError('area_in_use', 'Users or bags belong to this area: deactivate it instead');
    await deleteAreaRow(tx, id);
    await appendEvent(
      tx,
      sourceOf(actor),
      { action: 'area.delete', outcome: 'ok', subject: `area:${id}`, details: { name: area.name } },
      now,
    );
  });
}
