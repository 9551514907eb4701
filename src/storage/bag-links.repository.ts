/**
 * A child's place in a parent, in the bags table: linking (and counting) a child, taking it out,
 * a parent's count and status, and a parent's most recent link. Every statement is a point write
 * on a bag's id or the first entry of bags_parent_link_idx; nothing reads all of a parent's
 * children. Each takes the caller's transaction, in which the parent is locked.
 */
import { sql, type Selectable } from 'kysely';
import { areaOfLinkedChild, type BagRecord, type BagStatus } from '../domain/bags/bag.js';
import type { Tx } from './database.js';
import type { BagsTable } from './tables.js';
import { statement } from './prepared.js';
import { billOf, NO_BILL, newBagRow, toBag, type NewBag } from './bags.repository.js';

/** The child a scan puts into a parent: a new code (created already linked), or an existing, unlinked child. */
export type ChildToLink = { create: NewBag } | { existingId: string };

/**
 * Puts a child into a parent the caller has locked, and counts it, in one statement (one round
 * trip): a new code is inserted already linked (ON CONFLICT DO NOTHING), an existing child is
 * linked only if it still has no parent (the conditional UPDATE that makes two parents for one
 * child impossible: a racing second station waits on the child's row lock, then finds parent_id
 * set and changes nothing). Only if that write happened does the parent's count move, completing
 * it at capacity. Undefined when nothing was written: another station got there first, and the
 * caller reads the child again. A linked child takes the parent's area.
 */
export async function linkIntoParent(
  tx: Tx,
  child: ChildToLink,
  parent: BagRecord,
  linkedBy: string,
  now: Date,
): Promise<{ child: BagRecord; parent: BagRecord } | undefined> {
  let rows: LinkedRow[];
  if ('existingId' in child) {
    rows = await linkExistingSql(tx, [parent.id, linkedBy, now, areaOfLinkedChild(parent), child.existingId]);
  } else {
    const b = newBagRow(child.create, now);
    rows = await linkNewSql(tx, [
      b.code,
      b.type,
      b.kind_id,
      b.area_id,
      b.status,
      b.capacity,
      b.child_count,
      b.parent_id,
      b.linked_by,
      b.linked_at,
      b.created_by,
      now,
      parent.id,
    ]);
  }
  const row = rows[0];
  if (!row) return undefined;
  const { parent_child_count, parent_status, ...childRow } = row;
  return {
    child: toBag({ ...childRow, parent_code: parent.code, ...NO_BILL }),
    parent: { ...parent, childCount: parent_child_count, status: parent_status as BagStatus },
  };
}
type LinkedRow = Selectable<BagsTable> & { parent_child_count: number; parent_status: string };
/** The parent's count and status once `child` wrote a row: `parentStatusAt` (domain/bags/bag.ts) in SQL. $now, $parent. */
const COUNTED = (now: string, parentId: string) => `counted as (
    update bags set child_count = child_count + 1,
      status = case when child_count + 1 >= capacity then 'completed' else status end,
      completed_at = case when child_count + 1 >= capacity and status <> 'completed' then ${now}::timestamptz else completed_at end,
      updated_at = ${now}::timestamptz
    where id = ${parentId} and exists (select child.id from child)
    returning child_count, status)
  select child.*, counted.child_count as parent_child_count, counted.status as parent_status from child, counted`;
const linkExistingSql = statement<LinkedRow>(
  'link_existing_child',
  `with child as (
    update bags set parent_id = $1, status = 'linked', linked_by = $2, linked_at = $3, area_id = $4, updated_at = $3
    where id = $5 and type = 'child' and parent_id is null returning *),
  ${COUNTED('$3', '$1')}`,
);
const linkNewSql = statement<LinkedRow>(
  'link_new_child',
  `with child as (
    insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at, created_by, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
    on conflict (code) do nothing returning *),
  ${COUNTED('$12', '$13')}`,
);

/** Takes a child out of its parent; the child row stays, unlinked. */
export async function unlinkChild(tx: Tx, childId: string, parentId: string, now: Date): Promise<BagRecord | undefined> {
  const row = await tx
    .updateTable('bags')
    .set({ parent_id: null, status: 'unlinked', linked_by: null, linked_at: null, updated_at: now })
    .where('id', '=', childId)
    .where('parent_id', '=', parentId)
    .returningAll()
    .executeTakeFirst();
  return row && toBag({ ...row, parent_code: null, ...NO_BILL });
}

/** One child fewer: below capacity `parentStatusAt` says pending, so the parent re-opens. */
export async function removeChildFromParent(tx: Tx, parentId: string, now: Date): Promise<BagRecord> {
  const row = await tx
    .updateTable('bags')
    .set({
      child_count: sql<number>`child_count - 1`,
      status: sql<string>`case when child_count - 1 >= capacity then 'completed' else 'pending' end`,
      completed_at: null,
      updated_at: now,
    })
    .where('id', '=', parentId)
    .returningAll()
    .returning(billOf('bags.bill_id'))
    .executeTakeFirstOrThrow();
  return toBag({ ...row, parent_code: null });
}

export async function setParentStatus(tx: Tx, parentId: string, status: 'pending' | 'completed', now: Date): Promise<BagRecord> {
  const row = await tx
    .updateTable('bags')
    .set({ status, completed_at: status === 'completed' ? now : null, updated_at: now })
    .where('id', '=', parentId)
    .where('type', '=', 'parent')
    .returningAll()
    .returning(billOf('bags.bill_id'))
    .executeTakeFirstOrThrow();
  return toBag({ ...row, parent_code: null });
}

export interface LastLinkFilter {
  /** Only links this user made (dispatchers undo their own). */
  linkedBy?: string | undefined;
  /** Only links made at or after this time. */
  since?: Date | undefined;
}

/** The most recent link on a parent: the first entry of bags_parent_link_idx for it. */
export async function findLastLink(tx: Tx, parent: { id: string; code: string }, f: LastLinkFilter = {}): Promise<BagRecord | undefined> {
  let q = tx.selectFrom('bags').selectAll().where('parent_id', '=', parent.id).orderBy('linked_at', 'desc').orderBy('id', 'desc').limit(1);
  if (f.linkedBy !== undefined) q = q.where('linked_by', '=', f.linkedBy);
  if (f.since !== undefined) q = q.where('linked_at', '>=', f.since);
  const row = await q.executeTakeFirst();
  return row && toBag({ ...row, parent_code: parent.code, ...NO_BILL });
}
