/**
 * Putting parent bags on a bill and taking them off (SPEC §4). Each call is one recorded attempt
 * (scans/attempt.ts) — so a bill scan gets the same scanId idempotency and the same one history
 * row per attempt (subject = parent code, related = bill id) as a station scan.
 *
 * Locks: the parent row first (FOR UPDATE, without its current bill), then the bill row (FOR NO
 * KEY UPDATE) — the same parent-then-bill order as the child scan path, so the two cannot
 * deadlock (docs/decisions/0012). With both held the rules decide and the counters move by
 * the parent's exact figures in the same transaction.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { publicBag, reviveBag, type Bag, type BagRecord } from '../bags/bag.js';
import { tryNormaliseCode } from '../codes.js';
import { DomainError } from '../errors.js';
import { runAttempt, scannedCode, type Accepted, type AttemptNote } from '../attempt.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { lockBagByCode } from '../../storage/bags.repository.js';
import { attachParent, detachParent } from '../../storage/bill-links.repository.js';
import { adjustBill, lockBill } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import { assertBillOpen, decideLink, parentDelta, publicBill, reviveBill, tryNormaliseBillId, type Bill, type BillRecord } from './bill.js';

export interface LinkParentInput {
  code: string;
  scanId?: string | undefined;
}

export interface LinkWarning {
  code: 'parent_unfinished';
  message: string;
}

export interface LinkParentResult {
  outcome: 'linked' | 'already_on_bill';
  bill: Bill;
  bag: Bag;
  /** SPEC §4 lets an unfinished (pending) parent join; the biller is told so. */
  warning?: LinkWarning;
}

const reviveLink = (j: unknown): LinkParentResult => {
  const r = j as LinkParentResult;
  return { outcome: r.outcome, bill: reviveBill(r.bill), bag: reviveBag(r.bag), ...(r.warning ? { warning: r.warning } : {}) };
};

/** A pending parent joins a bill all the same, with a warning the station and the bill page show. */
export function unfinishedWarning(parent: Pick<Bag, 'code' | 'status' | 'childCount' | 'capacity'>): LinkWarning | undefined {
  if (parent.status !== 'pending') return undefined;
  return { code: 'parent_unfinished', message: `${parent.code} is not finished (${parent.childCount}/${parent.capacity ?? '?'} children)` };
}

/** The parent, then the bill, both locked; the bill id from a path, the code as scanned. */
async function lockBoth(
  tx: Tx,
  rawBillId: string,
  code: string,
  note: AttemptNote,
): Promise<{ billId: string; bill: BillRecord | undefined; parent: BagRecord | undefined }> {
  const billId = tryNormaliseBillId(rawBillId);
  note.related = billId ?? rawBillId.slice(0, 64);
  const parent = await lockBagByCode(tx, code, { lockBill: false });
  if (parent) note.areaId = parent.area;
  const bill = billId === undefined ? undefined : await lockBill(tx, billId);
  return { billId: billId ?? rawBillId.slice(0, 64), bill, parent };
}

/** Scans a parent onto a bill. Bill scanning never creates bags: an unknown code is bag_not_found. */
export function linkParent(ctx: Ctx, actor: Actor, rawBillId: string, input: LinkParentInput): Promise<LinkParentResult> {
  return runAttempt(ctx, actor, { action: 'bill.link', scanId: input.scanId, revive: reviveLink }, (tx, note, now) =>
    applyLinkParent(tx, actor, rawBillId, input, note, now),
  );
}

/** The bill link's rules and writes inside a caller's transaction (the bill scan, an import row). */
export async function applyLinkParent(
  tx: Tx,
  actor: Actor,
  rawBillId: string,
  input: Omit<LinkParentInput, 'scanId'>,
  note: AttemptNote,
  now: Date,
): Promise<Accepted<LinkParentResult>> {
  note.related = tryNormaliseBillId(rawBillId) ?? null; // the bill named, should the code be refused
  const code = scannedCode(input.code, note);
  const facts = await lockBoth(tx, rawBillId, code, note);
  const d = decideLink({ ...facts, code });
  const warning = unfinishedWarning(d.parent);
  const warned = warning ? { warning } : {};
  if (d.action === 'already_on_bill') {
    return {
      outcome: 'already_on_bill',
      value: { outcome: 'already_on_bill', bill: publicBill(d.bill), bag: publicBag(d.parent), ...warned },
    };
  }
  if (!(await attachParent(tx, d.parent.id, d.bill.id, actor.userId, now))) {
    throw new Error(`parent ${code} changed bill while it was locked`);
  }
  const delta = parentDelta(d.parent, await listBagKinds(tx), 1);
  const after = await adjustBill(tx, { id: d.bill.id }, delta, now);
  note.details = {
    parentCount: after.parentCount,
    capacity: after.capacity,
    childCount: d.parent.childCount,
    expectedKg: delta.expectedKg,
    ...(warning ? { warning: warning.code } : {}),
  };
  const bag = publicBag({ ...d.parent, billId: after.billId });
  return { outcome: 'linked', value: { outcome: 'linked', bill: publicBill(after), bag, ...warned } };
}

/** Takes a parent off a bill (admins, billers) unless the bill is completed; the parent stays. */
export function removeParent(ctx: Ctx, actor: Actor, rawBillId: string, rawCode: string): Promise<BillRecord> {
  return runAttempt(ctx, actor, { action: 'bill.unlink' }, async (tx, note, now) => {
    const code = tryNormaliseCode(rawCode);
    note.subject = code ?? rawCode.slice(0, 64);
    const { billId, bill, parent } =
      code === undefined
        ? { billId: tryNormaliseBillId(rawBillId) ?? rawBillId, bill: await lockBillOnly(tx, rawBillId, note), parent: undefined }
        : await lockBoth(tx, rawBillId, code, note);
    if (!bill) throw new DomainError('bill_not_found', `No bill ${billId}`);
    if (!parent) throw new DomainError('bag_not_found', `No bag ${code ?? rawCode.slice(0, 64)}`);
    assertBillOpen(bill);
    if (parent.billId !== bill.billId)
      throw new DomainError('not_found', `${parent.code} is not on bill ${bill.billId}`, { billId: parent.billId });
    if (!(await detachParent(tx, parent.id, bill.id, now)))
      throw new Error(`parent ${parent.code} left bill ${bill.billId} while it was locked`);
    const after = await adjustBill(tx, { id: bill.id }, parentDelta(parent, await listBagKinds(tx), -1), now);
    note.details = { parentCount: after.parentCount, capacity: after.capacity, childCount: parent.childCount };
    return { outcome: 'unlinked', value: after };
  });
}

async function lockBillOnly(tx: Tx, rawBillId: string, note: AttemptNote): Promise<BillRecord | undefined> {
  const billId = tryNormaliseBillId(rawBillId);
  note.related = billId ?? rawBillId.slice(0, 64);
  return billId === undefined ? undefined : lockBill(tx, billId);
}
