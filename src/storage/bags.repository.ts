/**
 * Bags table access for the scan path: reading, locking, creating and deleting bags (linking and
 * unlinking children: bag-links.repository.ts). Every statement is a point lookup or a point write
 * on an index (code or id); nothing here reads all of a parent's children. Functions that lock
 * rows or must be atomic with others take a Tx.
 */
import { sql, type Insertable, type QueryCreator, type Selectable } from 'kysely';
import type { BagRecord, BagStatus } from '../domain/bags/bag.js';
import type { BagType } from '../domain/codes.js';
import type { Executor, Tx } from './database.js';
import type { BagsTable, Tables } from './tables.js';
import { statement } from './prepared.js';

/** The bag row plus its parent's code and its bill's id and status (0003: bags.bill_id → bills). */
type Row = Selectable<BagsTable> & { parent_code: string | null; bill_code: string | null; bill_status: string | null };
/** A bag row as read with its parent code and bill (selectBag). */
export type BagRow = Row;
/** What toBag reads of a row: the narrow hot reads (scans.repository.ts) select only these. */
export type BagFields = Pick<
  Row,
  | 'id'
  | 'code'
  | 'type'
  | 'kind_id'
  | 'area_id'
  | 'status'
  | 'child_count'
  | 'capacity'
  | 'parent_id'
  | 'linked_by'
  | 'linked_at'
  | 'created_at'
  | 'parent_code'
  | 'bill_code'
  | 'bill_status'
>;
/** The parent's code and the bill's id and status of the bag row b, as SQL text (selectBag's extras). */
const BAG_EXTRAS = `(select p.code from bags p where p.id = b.parent_id) as parent_code,
  (select bl.bill_id from bills bl where bl.id = b.bill_id) as bill_code, (select bl.status from bills bl where bl.id = b.bill_id) as bill_status`;
/** BagFields as SQL text (bag alias b), for prepared statements. */
export const BAG_FIELDS = `b.id, b.code, b.type, b.kind_id, b.area_id, b.status, b.child_count, b.capacity, b.parent_id,
  b.linked_by, b.linked_at, b.created_at, ${BAG_EXTRAS}`;
/** Children and fresh rows: no bill (only parents are ever on one). */
export const NO_BILL = { bill_code: null, bill_status: null } as const;

export const toBag = (r: BagFields): BagRecord => ({
  id: String(r.id),
  code: r.code,
  type: r.type as BagType,
  kind: r.kind_id,
  area: r.area_id,
  status: r.status as BagStatus,
  childCount: r.child_count,
  capacity: r.capacity,
  parentId: r.parent_id === null ? null : String(r.parent_id),
  parentCode: r.parent_code,
  linkedBy: r.linked_by === null ? null : String(r.linked_by),
  linkedAt: r.linked_at,
  billId: r.bill_code,
  billCompleted: r.bill_status === 'completed',
  createdAt: r.created_at,
});

/** The bill id and status of the bag row `ref` (a primary-key probe, only for billed parents). */
export const billOf = (ref: 'b.bill_id' | 'bags.bill_id') => [
  sql<string | null>`(select bl.bill_id from bills bl where bl.id = ${sql.ref(ref)})`.as('bill_code'),
  sql<string | null>`(select bl.status from bills bl where bl.id = ${sql.ref(ref)})`.as('bill_status'),
];

/** The bag with its parent's code (one extra primary-key probe, only for linked children) and its bill. */
export function selectBag(ex: QueryCreator<Tables>) {
  return ex
    .selectFrom('bags as b')
    .selectAll('b')
    .select((eb) => eb.selectFrom('bags as p').select('p.code').whereRef('p.id', '=', 'b.parent_id').as('parent_code'))
    .select(billOf('b.bill_id'));
}

/** The bag of a code, as selectBag reads it: a named statement (the bag page asks it twice). */
export async function findBagByCode(ex: Executor, code: string): Promise<BagRecord | undefined> {
  const [row] = await findBagByCodeSql(ex, [code]);
  return row && toBag(row);
}

/**
 * Locks the bag row (SELECT … FOR UPDATE) until the transaction ends: the scan path locks the
 * parent before checking its capacity, so two stations filling it take turns. A parent on a
 * bill then has its bill row locked too (FOR NO KEY UPDATE), so "is the bill completed?" stays
 * true until commit and the bill's counters can move with the parent's. Lock order is always
 * parent, then bill (docs/decisions/0012): the bill link path passes `lockBill: false` and locks
 * the bill it links into itself, after the parent.
 */
export async function lockBagByCode(tx: Tx, code: string, opts: { lockBill?: boolean } = {}): Promise<BagRecord | undefined> {
  const row = await selectBag(tx).where('b.code', '=', code).forUpdate('b').executeTakeFirst();
  return row && toBag(await withBillLocked(tx, row, opts.lockBill !== false));
}

/** A locked parent on a bill: lock that bill too (parent, then bill) and read its status under the lock. */
async function withBillLocked<R extends Row>(tx: Tx, row: R, lockBill: boolean): Promise<R> {
  if (row.bill_id === null || !lockBill) return row;
  const bill = await tx.selectFrom('bills').select('status').where('id', '=', row.bill_id).forNoKeyUpdate().executeTakeFirstOrThrow();
  return { ...row, bill_status: bill.status };
}

/**
 * A child scan's two reads in one round trip: the parent locked as lockBagByCode does, and the
 * child as it is (not locked). The child is read with the statement's snapshot, taken before any
 * wait for the parent lock, so it can be a moment old: every write that follows is conditional
 * (and re-reads on losing), and an "already in this parent" answer, which writes nothing, must
 * be confirmed with findBagByCode under the lock (child-scan.service.ts does).
 */
export async function lockParentFindChild(
  tx: Tx,
  parentCode: string,
  childCode: string,
): Promise<{ parent?: BagRecord; child?: BagRecord }> {
  const rows = await lockParentFindChildSql(tx, [parentCode, childCode]);
  const parentRow = rows.find((r) => r.locked);
  const childRow = rows.find((r) => !r.locked);
  return {
    ...(parentRow ? { parent: toBag(await withBillLocked(tx, parentRow, true)) } : {}),
    ...(childRow ? { child: toBag(childRow) } : {}),
  };
}
/** selectBag's columns as SQL text, for the prepared statements of the scan path. */
export const BAG_COLUMNS = `b.*, ${BAG_EXTRAS}`;
const findBagByCodeSql = statement<Row>('find_bag_by_code', `select ${BAG_COLUMNS} from bags b where b.code = $1`);
const lockParentFindChildSql = statement<Row & { locked: boolean }>(
  'lock_parent_find_child',
  `with parent as (select ${BAG_COLUMNS}, true as locked from bags b where b.code = $1 for update of b)
   select * from parent
   union all
   select ${BAG_COLUMNS}, false as locked from bags b where b.code = $2`,
);

export interface NewBag {
  code: string;
  type: BagType;
  kindId: string | null;
  areaId: string;
  status: BagStatus;
  capacity: number | null;
  createdBy: string | null;
  /** A child created already linked: its parent. */
  parent?: { id: string; code: string; linkedBy: string | null } | undefined;
  childCount?: number;
}

/**
 * Inserts a bag; undefined when the code already exists (a concurrent scan may have created
 * it a moment ago: the caller re-reads and applies the rules to what is there).
 */
export async function insertBag(ex: Executor, b: NewBag, now: Date): Promise<BagRecord | undefined> {
  const row = await ex
    .insertInto('bags')
    .values(newBagRow(b, now))
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toBag({ ...row, parent_code: b.parent?.code ?? null, ...NO_BILL });
}

export function newBagRow(b: NewBag, now: Date): Insertable<BagsTable> {
  return {
    code: b.code,
    type: b.type,
    kind_id: b.kindId,
    area_id: b.areaId,
    status: b.status,
    capacity: b.capacity,
    child_count: b.childCount ?? 0,
    parent_id: b.parent?.id ?? null,
    linked_by: b.parent?.linkedBy ?? null,
    linked_at: b.parent ? now : null,
    created_by: b.createdBy,
    created_at: now,
    updated_at: now,
  };
}

export async function deleteBagRow(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('bags').where('id', '=', id).execute();
}
