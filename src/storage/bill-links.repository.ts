/**
 * The bag side of bills: linking and unlinking parents (bags.bill_id), a bill's parents in link
 * order (keyset on bill_linked_at, id — the partial index bags_bill_link_idx), and a bill's
 * history. Every write here runs in the transaction that holds the parent and bill locks.
 */
import { sql } from 'kysely';
import type { BagRecord } from '../domain/bags/bag.js';
import type { HistoryEvent } from '../domain/audit/event.js';
import { toEvent } from './events.repository.js';
import type { Executor, Tx } from './database.js';
import { selectBag, toBag } from './bags.repository.js';

/** Puts a (locked) parent on a bill; false when it already has one (the rules prevent that). */
export async function attachParent(tx: Tx, parentId: string, billRowId: string, userId: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('bags')
    .set({ bill_id: billRowId, bill_linked_at: now, bill_linked_by: userId, updated_at: now })
    .where('id', '=', parentId)
    .where('type', '=', 'parent')
    .where('bill_id', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function detachParent(tx: Tx, parentId: string, billRowId: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('bags')
    .set({ bill_id: null, bill_linked_at: null, bill_linked_by: null, updated_at: now })
    .where('id', '=', parentId)
    .where('bill_id', '=', billRowId)
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** Locks every parent of a bill, in id order (deleting a bill: parents before the bill). */
export async function lockParentsOfBill(tx: Tx, billRowId: string): Promise<number> {
  const rows = await tx.selectFrom('bags').select('id').where('bill_id', '=', billRowId).orderBy('id').forUpdate().execute();
  return rows.length;
}

export async function detachAllParents(tx: Tx, billRowId: string, now: Date): Promise<number> {
  const r = await tx
    .updateTable('bags')
    .set({ bill_id: null, bill_linked_at: null, bill_linked_by: null, updated_at: now })
    .where('bill_id', '=', billRowId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface LinkCursor {
  linkedAt: Date;
  id: string;
}

export interface BillParent {
  bag: BagRecord;
  linkedAt: Date;
}

/** A bill's parents in the order they were linked, after the cursor; one page of `limit`. */
export async function listBillParents(
  ex: Executor,
  billRowId: string,
  after: LinkCursor | undefined,
  limit: number,
): Promise<BillParent[]> {
  let q = selectBag(ex).where('b.bill_id', '=', billRowId).orderBy('b.bill_linked_at').orderBy('b.id').limit(limit);
  if (after) q = q.where(sql<boolean>`(b.bill_linked_at, b.id) > (${after.linkedAt}::timestamptz, ${after.id}::bigint)`);
  const rows = await q.execute();
  return rows.map((r) => ({ bag: toBag(r), linkedAt: r.bill_linked_at! }));
}

/**
 * A bill's history, newest first: bill events whose subject (create, edit, complete…) or related
 * subject (parent links and removals) is the bill id. Scan events never name a bill, and a bag
 * code equal to a bill id does not mix in: only bill.* actions are read. Returns (0010) show too:
 * a parent returned from or put back onto the bill (return.add/remove, related = bill id), and
 * the cancelling of a ticket that held parents of this bill.
 */
export async function billHistory(ex: Executor, billId: string, beforeId: string | undefined, limit: number): Promise<HistoryEvent[]> {
  let q = ex
    .selectFrom('events')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([
          eb.or([eb('subject', '=', billId), eb('related', '=', billId)]),
          eb.or([eb('action', 'like', 'bill.%'), eb('action', 'like', 'return.%')]),
        ]),
        // Cancelling a return ticket (one row, subject = ticket) may put parents back on this bill.
        eb.and([eb('action', '=', 'return.cancel'), eb('subject', 'in', ticketsFromBill(billId))]),
      ]),
    )
    .orderBy('id', 'desc')
    .limit(limit);
  if (beforeId) q = q.where('id', '<', beforeId);
  const rows = await q.execute();
  return rows.map(toEvent);
}

/** Codes of the return tickets that took a parent from this bill (return_ticket_bags_bill_idx). */
const ticketsFromBill = (billId: string) =>
  sql<string>`(select t.code from return_tickets t join return_ticket_bags rb on rb.ticket_id = t.id where rb.original_bill_code = ${billId})`;
