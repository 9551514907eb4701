/**
 * Bill use cases (SPEC §4) other than linking parents (bill-links.service.ts): create, list,
 * detail, edit, complete, reopen, delete. Every change is one recorded attempt
 * (scans/attempt.ts): one transaction, one history row accepted or refused, under a lock on the
 * bill row. Lock order everywhere is parent, then bill (docs/decisions/0012).
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { HistoryEvent } from '../audit/event.js';
import { publicBag, type Bag } from '../bags/bag.js';
import { tryNormaliseCode } from '../codes.js';
import { DomainError } from '../errors.js';
import { runAttempt, type Accepted, type AttemptNote } from '../attempt.js';
import type { Tx } from '../../storage/database.js';
import { billHistory, detachAllParents, listBillParents, lockParentsOfBill } from '../../storage/bill-links.repository.js';
import * as repo from '../../storage/bills.repository.js';
import {
  checkCapacity,
  checkNewCapacity,
  cleanText,
  cleanVehicleNumber,
  decideComplete,
  normaliseBillId,
  openStatus,
  publicBill,
  tryNormaliseBillId,
  TEXT_LIMITS,
  type Bill,
  type BillRecord,
  type BillStatus,
} from './bill.js';
import { decodeLinkCursor, encodeLinkCursor } from './cursors.js';

export interface CreateBillInput {
  billId: string;
  capacity: number;
  description?: string | null | undefined;
  destination?: string | null | undefined;
  vehicleNumber?: string | null | undefined;
}

export function createBill(ctx: Ctx, actor: Actor, input: CreateBillInput): Promise<BillRecord> {
  return runAttempt(ctx, actor, { action: 'bill.create' }, (tx, note, now) => applyCreateBill(tx, actor, input, note, now));
}

/** Creating a bill inside a caller's transaction (the bill use case, an import row). */
export async function applyCreateBill(
  tx: Tx,
  actor: Actor,
  input: CreateBillInput,
  note: AttemptNote,
  now: Date,
): Promise<Accepted<BillRecord>> {
  note.details = { input: input.billId.slice(0, 64) };
  const billId = normaliseBillId(input.billId);
  note.subject = billId;
  note.details = { capacity: input.capacity };
  const bill = await repo.insertBill(
    tx,
    {
      billId,
      capacity: checkCapacity(input.capacity),
      description: cleanText(input.description, TEXT_LIMITS.description, 'The description'),
      destination: cleanText(input.destination, TEXT_LIMITS.destination, 'The destination'),
      vehicleNumber: cleanVehicleNumber(input.vehicleNumber),
      createdBy: actor.userId,
    },
    now,
  );
  if (!bill) throw new DomainError('duplicate_bill', `Bill ${billId} already exists`, { billId });
  return { outcome: 'created', value: bill };
}

export interface ListBillsInput {
  status?: BillStatus | undefined;
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  createdBy?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export async function listBills(ctx: Ctx, input: ListBillsInput): Promise<{ items: BillRecord[]; nextCursor: string | null }> {
  const limit = input.limit ?? 50;
  if (input.cursor !== undefined && !/^[0-9]{1,18}$/.test(input.cursor)) throw new DomainError('validation_failed', 'Bad cursor');
  const rows = await repo.listBills(ctx.db, {
    status: input.status,
    prefix: input.q === undefined ? undefined : tryNormaliseCode(input.q),
    from: input.from,
    to: input.to,
    createdBy: input.createdBy?.trim() || undefined,
    beforeId: input.cursor,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

export interface BillDetail {
  bill: BillRecord;
  /** One page of parents, in link order. */
  parents: Bag[];
  nextCursor: string | null;
  /** Newest first. */
  history: HistoryEvent[];
  historyCursor: string | null;
}

export interface DetailInput {
  cursor?: string | undefined;
  limit?: number | undefined;
  historyBefore?: string | undefined;
  historyLimit?: number | undefined;
}

export async function getBill(ctx: Ctx, rawBillId: string, input: DetailInput = {}): Promise<BillDetail> {
  const billId = tryNormaliseBillId(rawBillId);
  const bill = billId === undefined ? undefined : await repo.findBill(ctx.db, billId);
  if (!bill) throw new DomainError('bill_not_found', `No bill ${billId ?? rawBillId.slice(0, 64)}`);
  const limit = input.limit ?? 100;
  const historyLimit = input.historyLimit ?? 100;
  if (input.historyBefore !== undefined && !/^[0-9]{1,18}$/.test(input.historyBefore))
    throw new DomainError('validation_failed', 'Bad history cursor');
  const [parents, history] = await Promise.all([
    listBillParents(ctx.db, bill.id, input.cursor === undefined ? undefined : decodeLinkCursor(input.cursor), limit + 1),
    billHistory(ctx.db, bill.billId, input.historyBefore, historyLimit + 1),
  ]);
  const page = parents.slice(0, limit);
  const last = page[page.length - 1];
  const events = history.slice(0, historyLimit);
  return {
    bill,
    parents: page.map((p) => publicBag(p.bag)),
    nextCursor: parents.length > limit && last ? encodeLinkCursor({ linkedAt: last.linkedAt, id: last.bag.id }) : null,
    history: events,
    historyCursor: history.length > historyLimit ? events[events.length - 1]!.id : null,
  };
}

/** The bill named in a path, locked; bill_not_found when there is none. */
async function lockNamed(tx: Tx, raw: string, note: AttemptNote, mode: 'update' | 'delete' = 'update'): Promise<BillRecord> {
  const billId = tryNormaliseBillId(raw);
  note.subject = billId ?? raw.slice(0, 64);
  const bill = billId === undefined ? undefined : await repo.lockBill(tx, billId, mode);
  if (!bill) throw new DomainError('bill_not_found', `No bill ${billId ?? raw.slice(0, 64)}`);
  return bill;
}

export interface EditBillInput {
  capacity?: number | undefined;
  description?: string | null | undefined;
  destination?: string | null | undefined;
  vehicleNumber?: string | null | undefined;
}

export function editBill(ctx: Ctx, actor: Actor, rawBillId: string, input: EditBillInput): Promise<BillRecord> {
  return runAttempt(ctx, actor, { action: 'bill.edit' }, async (tx, note, now) => {
    const bill = await lockNamed(tx, rawBillId, note);
    const changes: repo.BillChanges = {};
    if (input.capacity !== undefined) changes.capacity = checkNewCapacity(bill, input.capacity);
    if (input.description !== undefined) changes.description = cleanText(input.description, TEXT_LIMITS.description, 'The description');
    if (input.destination !== undefined) changes.destination = cleanText(input.destination, TEXT_LIMITS.destination, 'The destination');
    if (input.vehicleNumber !== undefined) changes.vehicleNumber = cleanVehicleNumber(input.vehicleNumber);
    const after = await repo.updateBill(tx, bill.id, changes, now);
    note.details = { before: editable(bill), after: editable(after) };
    return { outcome: 'edited', value: after };
  });
}

const editable = (b: BillRecord) => ({
  capacity: b.capacity,
  description: b.description,
  destination: b.destination,
  vehicleNumber: b.vehicleNumber,
});

/** Completing needs every parent (SPEC §4); an admin may complete short with a reason. */
export function completeBill(ctx: Ctx, actor: Actor, rawBillId: string, reason?: string): Promise<BillRecord> {
  return runAttempt(ctx, actor, { action: 'bill.complete' }, async (tx, note, now) => {
    const bill = await lockNamed(tx, rawBillId, note);
    const d = decideComplete(actor.role, bill, reason);
    if (d.action === 'already_completed') return { outcome: 'already_completed', value: bill };
    const after = await repo.setBillCompletion(tx, bill.id, { completed: true, shortReason: d.shortReason, status: 'completed' }, now);
    note.details = {
      parentCount: after.parentCount,
      childCount: after.childCount,
      capacity: after.capacity,
      ...(d.shortReason ? { short: true, reason: d.shortReason } : {}),
    };
    return { outcome: 'completed', value: after };
  });
}

/** Admins and billers reopen a completed bill; it is editable and fillable again. */
export function reopenBill(ctx: Ctx, actor: Actor, rawBillId: string): Promise<BillRecord> {
  return runAttempt(ctx, actor, { action: 'bill.reopen' }, async (tx, note, now) => {
    const bill = await lockNamed(tx, rawBillId, note);
    if (bill.status !== 'completed') return { outcome: 'already_open', value: bill };
    const after = await repo.setBillCompletion(
      tx,
      bill.id,
      { completed: false, shortReason: null, status: openStatus(bill.parentCount) },
      now,
    );
    note.details = { parentCount: after.parentCount, capacity: after.capacity };
    return { outcome: 'reopened', value: after };
  });
}

/** A parent was linked to the bill between locking its parents and locking the bill. */
class ParentsMoved extends Error {}
const MAX_DELETE_TRIES = 3;

/**
 * Admins delete a bill: its parents become unbilled, the bill row goes, its history stays (the
 * history row keeps a snapshot). Lock order as everywhere: the parents (in id order), then the
 * bill. Once the bill is locked no link can change its parents; if one slipped in before, the
 * transaction is rolled back and run again, so that parent is locked first too; after
 * MAX_DELETE_TRIES such turns it answers bill_busy (409) and nothing is deleted.
 */
export async function deleteBill(ctx: Ctx, actor: Actor, rawBillId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runAttempt(ctx, actor, { action: 'bill.delete' }, async (tx, note, now) => {
        const billId = tryNormaliseBillId(rawBillId);
        const seen = billId === undefined ? undefined : await repo.findBill(tx, billId);
        const locked = seen ? await lockParentsOfBill(tx, seen.id) : 0;
        const bill = await lockNamed(tx, rawBillId, note, 'delete');
        if (bill.id !== seen?.id || bill.parentCount !== locked) {
          if (attempt < MAX_DELETE_TRIES) throw new ParentsMoved();
          throw new DomainError('bill_busy', `Parents were linked to or removed from bill ${bill.billId} while it was deleted: try again`);
        }
        const unbilled = await detachAllParents(tx, bill.id, now);
        await repo.deleteBillRow(tx, bill.id);
        note.details = { snapshot: { ...publicBill(bill), createdAt: bill.createdAt.toISOString() }, unbilledParents: unbilled };
        return { outcome: 'deleted', value: undefined };
      });
    } catch (err) {
      if (!(err instanceof ParentsMoved)) throw err;
    }
  }
}

export type { Bill };
