/**
 * Bag lists, keyset-paged: the filtered list (newest first on (created_at, id), served by the
 * bags_*_created indexes of 0005) and a parent's children (link order, on
 * bags_parent_link_idx). A page is one statement whatever its depth; nothing counts the table.
 * Keys carry created_at as integer microseconds: a JavaScript Date holds only milliseconds,
 * and a key rounded to milliseconds would skip or repeat rows created in the same millisecond.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { publicBag, type Bag, type BagStatus } from '../domain/bags/bag.js';
import type { BagType } from '../domain/codes.js';
import { selectBag, toBag } from './bags.repository.js';
import type { Executor } from './database.js';
import { containing, startsWith } from './search.repository.js';

export interface BagListQuery {
  type?: BagType | undefined;
  area?: string | undefined;
  status?: BagStatus | undefined;
  /** A child in a parent, or a parent with children (false: neither). */
  linked?: boolean | undefined;
  /** A parent on a bill, or a child whose parent is on one (false: neither). */
  billed?: boolean | undefined;
  /** Created (first scanned) by this user id. */
  createdBy?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Normalised text: codes containing it (3+ characters, trigram index) or starting with it. */
  q?: string | undefined;
  /** Keyset position: rows strictly older than (createdUs, id). */
  after?: { createdUs: number; id: string } | undefined;
  limit: number;
}

export interface KeyedBag {
  bag: Bag;
  key: { createdUs: number; id: string };
}

const micros = (column: 'b.created_at' | 'b.linked_at') => sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::int8`;
const fromMicros = (us: number) => sql<Date>`(timestamptz 'epoch' + ${us} * interval '1 microsecond')`;

export async function listBags(ex: Executor, f: BagListQuery): Promise<KeyedBag[]> {
  let s = selectBag(ex).select(micros('b.created_at').as('key_us'));
  if (f.type) s = s.where('b.type', '=', f.type);
  if (f.area) s = s.where('b.area_id', '=', f.area);
  if (f.status) s = s.where('b.status', '=', f.status);
  if (f.createdBy) s = s.where('b.created_by', '=', f.createdBy);
  if (f.from) s = s.where('b.created_at', '>=', f.from);
  if (f.to) s = s.where('b.created_at', '<', f.to);
  if (f.linked !== undefined) {
    const linked = sql<SqlBool>`(b.parent_id is not null or b.child_count > 0)`;
    s = s.where(f.linked ? linked : sql<SqlBool>`not ${linked}`);
  }
  if (f.billed !== undefined) {
    // Only parents are on bills; a child is billed through its parent. With a type filter the
    // condition is the simple one for that type, which the planner estimates (and indexes) well.
    const own = sql<SqlBool>`b.bill_id is not null`;
    const viaParent = sql<SqlBool>`exists (select 1 from bags p where p.id = b.parent_id and p.bill_id is not null)`;
    const billed: Expression<SqlBool> = f.type === 'parent' ? own : f.type === 'child' ? viaParent : sql<SqlBool>`(${own} or ${viaParent})`;
    s = s.where(f.billed ? billed : sql<SqlBool>`not ${billed}`);
  }
  if (f.q) {
    const pattern = f.q.length >= 3 ? containing(f.q) : startsWith(f.q);
    s = s.where(sql<SqlBool>`b.code like ${pattern}`);
  }
  if (f.after) s = s.where(sql<SqlBool>`(b.created_at, b.id) < (${fromMicros(f.after.createdUs)}, ${f.after.id}::int8)`);
  const rows = await s.orderBy('b.created_at', 'desc').orderBy('b.id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ bag: publicBag(toBag(r)), key: { createdUs: Number(r.key_us), id: String(r.id) } }));
}

export interface ChildPageQuery {
  parentId: string;
  /** Keyset position: children linked strictly after (linkedUs, id). */
  after?: { linkedUs: number; id: string } | undefined;
  limit: number;
}

export interface KeyedChild {
  bag: Bag;
  linkedAt: Date | null;
  key: { linkedUs: number; id: string };
}

/** A parent's children in the order they were scanned in (oldest link first). */
export async function listChildren(ex: Executor, f: ChildPageQuery): Promise<KeyedChild[]> {
  let s = selectBag(ex).select(micros('b.linked_at').as('key_us')).where('b.parent_id', '=', f.parentId);
  if (f.after) s = s.where(sql<SqlBool>`(b.linked_at, b.id) > (${fromMicros(f.after.linkedUs)}, ${f.after.id}::int8)`);
  const rows = await s.orderBy('b.linked_at', 'asc').orderBy('b.id', 'asc').limit(f.limit).execute();
  return rows.map((r) => ({ bag: publicBag(toBag(r)), linkedAt: r.linked_at, key: { linkedUs: Number(r.key_us), id: String(r.id) } }));
}
