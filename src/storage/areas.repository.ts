/** Dispatch areas. */
import { sql } from 'kysely';
import type { Area } from '../domain/areas/area.js';
import type { Executor } from './database.js';

export async function listAreas(ex: Executor, opts: { includeInactive?: boolean } = {}): Promise<Area[]> {
  let q = ex.selectFrom('areas').select(['id', 'name', 'active']).orderBy('position').orderBy('name');
  if (!opts.includeInactive) q = q.where('active', '=', true);
  return q.execute();
}

export async function findArea(ex: Executor, id: string): Promise<Area | undefined> {
  return ex.selectFrom('areas').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst();
}

export async function firstArea(ex: Executor): Promise<Area | undefined> {
  return ex
    .selectFrom('areas')
    .select(['id', 'name', 'active'])
    .where('active', '=', true)
    .orderBy('position')
    .orderBy('name')
    .limit(1)
    .executeTakeFirst();
}

/** Returns undefined when the id or (case-insensitive) name already exists. */
export async function insertArea(ex: Executor, a: { id: string; name: string }): Promise<Area | undefined> {
  return ex
    .insertInto('areas')
    .values({
      id: a.id,
      name: a.name,
      position: sql<number>`(select coalesce(max(position), 0) + 1 from areas)`,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'name', 'active'])
    .executeTakeFirst();
}
