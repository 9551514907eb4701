/** Bag kinds: reference data read by the scan rules (admins will edit it; nothing hard-codes a kind). */
import type { Selectable } from 'kysely';
import type { BagKind, BagType } from '../domain/codes.js';
import type { Executor } from './database.js';
import type { BagKindsTable } from './tables.js';

/** Row → BagKind, shared with the admin edits (bag-kinds.admin.repository.ts). */
export const toKind = (r: Selectable<BagKindsTable>): BagKind => ({
  id: r.id,
  name: r.name,
  type: r.type as BagType,
  pattern: r.pattern,
  capacity: r.capacity,
  expectedWeightKg: r.expected_weight_kg,
  active: r.active,
  position: r.position,
});

/** All kinds, active or not, in matching order (a handful of rows). */
export async function listBagKinds(ex: Executor): Promise<BagKind[]> {
  const rows = await ex.selectFrom('bag_kinds').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map(toKind);
}
