/**
 * Moving a parent between a bill and a ticket, shared by returning, removing and cancelling.
 * The caller holds the locks in the order parent, then bill, then ticket (ADR 0018) and calls
 * these in its one transaction; the bill's counters move by the parent's exact figures, as a
 * bill link or removal moves them (bill-links.service.ts).
 */
import type { BagRecord } from '../bags/bag.js';
import { parentDelta, type BillRecord } from '../bills/bill.js';
import type { BagKind } from '../codes.js';
import { attachParent, detachParent } from '../../storage/bill-links.repository.js';
import { adjustBill, setBillCompletion } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import { billFigures, decidePutBack, type BillFigures, type PutBackOutcome, type PutBackReason } from './ticket.js';

/**
 * Takes a parent off its (locked) bill. A completed bill keeps its status, except when its last
 * parent leaves: a completed bill always has parents (0003), so it goes back to `new`.
 */
export async function takeOffBill(
  tx: Tx,
  parent: BagRecord,
  bill: BillRecord,
  kinds: readonly BagKind[],
  now: Date,
): Promise<{ after: BillRecord; reopened: boolean }> {
  if (!(await detachParent(tx, parent.id, bill.id, now)))
    throw new Error(`parent ${parent.code} left bill ${bill.billId} while it was locked`);
  const reopened = bill.status === 'completed' && bill.parentCount === 1;
  if (reopened) await setBillCompletion(tx, bill.id, { completed: false, shortReason: null, status: 'processing' }, now);
  const after = await adjustBill(tx, { id: bill.id }, parentDelta(parent, kinds, -1), now);
  return { after, reopened };
}

export interface PutBack {
  outcome: PutBackOutcome;
  reason: PutBackReason;
  /** The bill the parent was returned from. */
  billId: string;
  /** The bill's figures around the put-back (back_on_bill only). */
  before: BillFigures | null;
  after: BillRecord | null;
}

/** A parent leaves an open ticket: back onto its bill if that bill can take it (ADR 0018). */
export async function putBack(
  tx: Tx,
  parent: BagRecord,
  billId: string,
  bill: BillRecord | undefined,
  userId: string,
  kinds: readonly BagKind[],
  now: Date,
): Promise<PutBack> {
  const d = decidePutBack(parent, bill);
  if (d.outcome === 'left_unbilled' || !bill) return { ...d, billId, before: null, after: null };
  if (!(await attachParent(tx, parent.id, bill.id, userId, now))) throw new Error(`parent ${parent.code} got a bill while it was locked`);
  const after = await adjustBill(tx, { id: bill.id }, parentDelta(parent, kinds, 1), now);
  return { ...d, billId, before: billFigures(bill), after };
}
