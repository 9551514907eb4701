/**
 * Bag use cases outside the scan loop: finish a parent short, reopen it, delete an unused bag.
 * Each is one recorded attempt (scans/attempt.ts): one transaction under a lock on the bag
 * row, one history row whether accepted or refused.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { assertAreaAccess } from '../areas/area-scope.js';
import { tryNormaliseCode } from '../codes.js';
import { runAttempt, type AttemptNote } from '../attempt.js';
import { assertNotOnCompletedBill, assertParentInReach } from '../scans/scan-rules.js';
import { deleteBagRow, lockBagByCode } from '../../storage/bags.repository.js';
import { setParentStatus } from '../../storage/bag-links.repository.js';
import type { Tx } from '../../storage/database.js';
import { publicBag, type Bag, type BagRecord } from './bag.js';
import { cleanReason, reasonDetails } from './reason.js';

/** A supervisor's reason for a correction (reason.ts): optional in the API, required on the pages. */
export interface Why {
  reason?: string | undefined;
  requireReason?: boolean;
}

/** Path codes are normalised like scans; one that cannot be normalised names no bag. */
async function lockNamed(tx: Tx, raw: string, note: AttemptNote): Promise<{ code: string; bag: BagRecord | undefined }> {
  const code = tryNormaliseCode(raw);
  note.subject = code ?? null;
  return { code: code ?? '', bag: code === undefined ? undefined : await lockBagByCode(tx, code) };
}

/**
 * Any role may finish a parent before it is full (the station asks first); it then shows as
 * short, e.g. 27/30. Completing a completed parent changes nothing. An empty parent is refused:
 * a dispatcher could not reopen it, so a slip would leave a sack nobody can fill.
 */
export function completeParent(ctx: Ctx, actor: Actor, rawCode: string): Promise<Bag> {
  return runAttempt(ctx, actor, { action: 'bag.complete' }, async (tx, note, now) => {
    const { code, bag } = await lockNamed(tx, rawCode, note);
    const parent = assertParentInReach(actor, code, bag, 'bag_not_found');
    note.areaId = parent.area;
    if (parent.status === 'completed') return { outcome: 'already_completed', value: publicBag(parent) };
    if (parent.childCount === 0) throw new DomainError('validation_failed', `${parent.code} is empty: scan children before completing it`);
    const after = await setParentStatus(tx, parent.id, 'completed', now);
    note.details = {
      childCount: after.childCount,
      capacity: after.capacity,
      short: after.capacity !== null && after.childCount < after.capacity,
    };
    return { outcome: 'completed', value: publicBag(after) };
  });
}

/** Admins and billers reopen a completed parent, unless its bill is completed (locked). */
export function reopenParent(ctx: Ctx, actor: Actor, rawCode: string, why: Why = {}): Promise<Bag> {
  return runAttempt(ctx, actor, { action: 'bag.reopen' }, async (tx, note, now) => {
    const { code, bag } = await lockNamed(tx, rawCode, note);
    const reason = cleanReason(why.reason, why.requireReason === true);
    note.details = reasonDetails(reason);
    const parent = assertParentInReach(actor, code, bag, 'bag_not_found');
    note.areaId = parent.area;
    if (parent.status !== 'completed') return { outcome: 'already_pending', value: publicBag(parent) };
    assertNotOnCompletedBill(parent);
    const after = await setParentStatus(tx, parent.id, 'pending', now);
    note.details = { childCount: after.childCount, capacity: after.capacity, ...reasonDetails(reason) };
    return { outcome: 'reopened', value: publicBag(after) };
  });
}

/**
 * Admins delete a bag that nothing refers to: no children, no parent, no bill. The history row
 * keeps a snapshot of the bag, and its earlier history (subject = code) stays readable.
 */
export function deleteBag(ctx: Ctx, actor: Actor, rawCode: string, why: Why = {}): Promise<void> {
  return runAttempt(ctx, actor, { action: 'bag.delete' }, async (tx, note) => {
    const { code, bag } = await lockNamed(tx, rawCode, note);
    const reason = cleanReason(why.reason, why.requireReason === true);
    note.details = reasonDetails(reason);
    if (!bag) throw new DomainError('bag_not_found', `No bag ${code}`.trim());
    note.areaId = bag.area;
    assertAreaAccess(actor, bag.area);
    if (bag.childCount > 0 || bag.parentId !== null || bag.billId !== null) {
      const why =
        bag.childCount > 0
          ? `holds ${bag.childCount} children`
          : bag.parentId !== null
            ? `is in parent ${bag.parentCode}`
            : `is on bill ${bag.billId}`;
      throw new DomainError('bag_in_use', `${bag.code} ${why}: take it out first`, {
        childCount: bag.childCount,
        parentCode: bag.parentCode,
        billId: bag.billId,
      });
    }
    await deleteBagRow(tx, bag.id);
    note.details = { snapshot: { ...publicBag(bag), createdAt: bag.createdAt.toISOString() }, ...reasonDetails(reason) };
    return { outcome: 'deleted', value: undefined };
  });
}
