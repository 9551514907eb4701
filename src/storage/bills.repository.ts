/**
 * Bills table access. Counters only ever move by deltas inside the transaction that changes a
 * link (never by re-reading a bill's parents); functions that lock or must be atomic with
 * others take a Tx. Lock order is parent, then bill (docs/decisions/0012).
 */
import { sql, type Selectable, type Updateable } from 'kysely';
import type { BillRecord, BillStatus, CounterDelta } from '../domain/bills/bill.js';
import type { Executor, Tx } from './database.js';
import type { BillsTable } from './tables.js';
import { statement } from './prepared.js';

type Row = Selectable<BillsTable> & { created_by_name: string | null };

const toBill = (r: Row): BillRecord => ({
  id: String(r.id),
  billId: r.bill_id,
  status: r.status as BillStatus,
  capacity: r.capacity,
  parentCount: r.parent_count,
  childCount: r.child_count,
  actualWeightKg: r.actual_weight_kg,
  expectedWeightKg: r.expected_weight_kg,
  description: r.description,
  destination: r.destination,
  vehicleNumber: r.vehicle_number,
  createdBy: r.created_by_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
  completedShortReason: r.completed_short_reason,
});

/** The creator's username, by primary key (`b` in selects, `bills` in RETURNING). */
const creatorName = (table: 'b' | 'bills') => `(select u.username from users u where u.id = ${table}.created_by)`;
const creator = (table: 'b' | 'bills') => sql.raw<string | null>(creatorName(table)).as('created_by_name');
const RETURN_CREATOR = creator('bills');

const selectBill = (ex: Executor) => ex.selectFrom('bills as b').selectAll('b').select(creator('b'));

/** The bill of an id, as selectBill reads it: a named statement (the bill and bag pages ask it). */
export async function findBill(ex: Executor, billId: string): Promise<BillRecord | undefined> {
  const [row] = await findBillSql(ex, [billId]);
  return row && toBill(row);
}
const findBillSql = statement<Row>('find_bill', `select b.*, ${creatorName('b')} as created_by_name from bills b where b.bill_id = $1`);

/**
 * Locks the bill row until commit. Links, removals, completion and edits take FOR NO KEY UPDATE
 * (they never change the key, so the foreign-key checks of linking parents are not blocked);
 * deleting the bill takes FOR UPDATE.
 */
export async function lockBill(tx: Tx, billId: string, mode: 'update' | 'delete' = 'update'): Promise<BillRecord | undefined> {
  const q = selectBill(tx).where('b.bill_id', '=', billId);
  const row = await (mode === 'delete' ? q.forUpdate('b') : q.forNoKeyUpdate('b')).executeTakeFirst();
  return row && toBill(row);
}

export interface NewBill {
  billId: string;
  capacity: number;
  description: string | null;
  destination: string | null;
  vehicleNumber: string | null;
  createdBy: string;
}

/** Undefined when the id is taken (regardless of case: ids are stored normalised). */
export async function insertBill(tx: Tx, b: NewBill, now: Date): Promise<BillRecord | undefined> {
  const row = await tx
    .insertInto('bills')
    .values({
      bill_id: b.billId,
      capacity: b.capacity,
      description: b.description,
      destination: b.destination,
      vehicle_number: b.vehicleNumber,
      created_by: b.createdBy,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('bill_id').doNothing())
    .returningAll()
    .returning(RETURN_CREATOR)
    .executeTakeFirst();
  return row && toBill(row);
}

export interface BillChanges {
  capacity?: number;
  description?: string | null;
  destination?: string | null;
  vehicleNumber?: string | null;
}

/** Sets columns of one bill, by primary key, and answers the bill as it now is. */
async function setBillColumns(tx: Tx, id: string, columns: Updateable<BillsTable>): Promise<BillRecord> {
  const row = await tx
    .updateTable('bills')
    .set(columns)
    .where('id', '=', id)
    .returningAll()
    .returning(RETURN_CREATOR)
    .executeTakeFirstOrThrow();
  return toBill(row);
}

export function updateBill(tx: Tx, id: string, c: BillChanges, now: Date): Promise<BillRecord> {
  return setBillColumns(tx, id, {
    ...(c.capacity !== undefined ? { capacity: c.capacity } : {}),
    ...(c.description !== undefined ? { description: c.description } : {}),
    ...(c.destination !== undefined ? { destination: c.destination } : {}),
    ...(c.vehicleNumber !== undefined ? { vehicle_number: c.vehicleNumber } : {}),
    updated_at: now,
  });
}

/**
 * Moves the counters by a delta, and the status between new and processing with the parent
 * count: `openStatus` (domain/bills/bill.ts) in SQL, so it holds under concurrent links (a
 * completed bill never changes parents, so its status is left alone).
 */
export async function adjustBill(tx: Tx, where: { id: string } | { billId: string }, d: CounterDelta, now: Date): Promise<BillRecord> {
  const parents = sql<number>`parent_count + ${d.parents}::int`;
  let q = tx.updateTable('bills').set({
    parent_count: parents,
    child_count: sql<number>`child_count + ${d.children}::int`,
    actual_weight_kg: sql<number>`actual_weight_kg + ${d.actualKg}::int`,
    expected_weight_kg: sql<number>`expected_weight_kg + ${d.expectedKg}::int`,
    status: sql<string>`case when status = 'completed' then status when ${parents} = 0 then 'new' else 'processing' end`,
    updated_at: now,
  });
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('bill_id', '=', where.billId);
  return toBill(await q.returningAll().returning(RETURN_CREATOR).executeTakeFirstOrThrow());
}

export function setBillCompletion(
  tx: Tx,
  id: string,
  done: { completed: boolean; shortReason: string | null; status: BillStatus },
  now: Date,
): Promise<BillRecord> {
  return setBillColumns(tx, id, {
    status: done.status,
    completed_at: done.completed ? now : null,
    completed_short_reason: done.completed ? done.shortReason : null,
    updated_at: now,
  });
}

export async function deleteBillRow(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('bills').where('id', '=', id).execute();
}

export interface BillFilter {
  status?: BillStatus | undefined;
  /** Prefix of the (normalised) bill id. */
  prefix?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Creator's username, any case. */
  createdBy?: string | undefined;
  /** Keyset: only bills with a smaller id (newest first). */
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first, keyset-paged by id; one row more than asked tells whether a next page exists. */
export async function listBills(ex: Executor, f: BillFilter): Promise<BillRecord[]> {
  let q = selectBill(ex).orderBy('b.id', 'desc').limit(f.limit);
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.prefix) q = q.where(sql<boolean>`b.bill_id like ${likePrefix(f.prefix)} escape '\\'`);
  if (f.from) q = q.where('b.created_at', '>=', f.from);
  if (f.to) q = q.where('b.created_at', '<', f.to);
  if (f.createdBy) {
    const name = f.createdBy;
    q = q.where('b.created_by', 'in', (eb) => eb.selectFrom('users').select('id').where(sql<boolean>`lower(username) = lower(${name})`));
  }
  if (f.beforeId) q = q.where('b.id', '<', f.beforeId);
  return (await q.execute()).map(toBill);
}

/** LIKE pattern of a literal prefix: %, _ and \ in bill ids match only themselves. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
