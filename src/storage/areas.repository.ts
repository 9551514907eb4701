/** Dispatch areas. */
import { sql } from 'kysely';
import type { Area } from '../domain/areas/area.js';
import type { Executor, Tx } from './database.js';

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

/** Locks one area row for a rename/deactivate/delete (concurrent edits queue up). */
export async function lockArea(tx: Tx, id: string): Promise<Area | undefined> {
  return tx.selectFrom('areas').select(['id', 'name', 'active']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Is another area already called this (case-insensitive)? */
export async function areaNameTaken(ex: Executor, name: string, exceptId: string): Promise<boolean> {
  const r = await ex
    .selectFrom('areas')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateArea(ex: Executor, id: string, c: { name?: string; active?: boolean }): Promise<Area> {
  return ex
    .updateTable('areas')
    .set({ ...(c.name !== undefined ? { name: c.name } : {}), ...(c.active !== undefined ? { active: c.active } : {}) })
    .where('id', '=', id)
    .returning(['id', 'name', 'active'])
    .executeTakeFirstOrThrow();
}

/** Does any user or bag name this area? Such an area may be deactivated but never deleted. */
export async function areaInUse(ex: Executor, id: string): Promise<boolean> {
  const r = await sql<{ used: boolean }>`select exists (select 1 from users where area_id = ${id})
    or exists (select 1 from bags where area_id = ${id}) as used`.execute(ex);
  return r.rows[0]?.used === true;
}

export async function deleteArea(ex: Executor, id: string): Promise<void> {
  await ex.deleteFrom('areas').where('id', '=', id).execute();
}
