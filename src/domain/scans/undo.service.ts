/**
 * Undo and named unlink (SPEC §3): the last link on a parent undone (dispatchers: their own,
 * within the hour; admins and billers: anyone's), or a named child unlinked (admins and
 * billers). One recorded attempt (attempt.ts) in one transaction, the parent locked first.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { assertCan } from '../permissions.js';
import { publicBag, type Bag, type BagRecord } from '../bags/bag.js';
import { tryNormaliseCode } from '../codes.js';
import { runAttempt } from '../attempt.js';
import { cleanReason, reasonDetails } from '../bags/reason.js';
import { billChildrenChanged } from '../bills/bill-counters.js';
import { assertNotOnCompletedBill, assertParentInReach } from './scan-rules.js';
import { findBagByCode, lockBagByCode } from '../../storage/bags.repository.js';
import { findLastLink, removeChildFromParent, unlinkChild } from '../../storage/bag-links.repository.js';

/** Dispatchers may undo their own links for this long. */
export const UNDO_WINDOW_MS = 60 * 60_000;
export interface UndoInput {
  parentCode: string;
  /** A named child to unlink (admins and billers); without it, the last link is undone. */
  code?: string | undefined;
  /** A supervisor's reason (bags/reason.ts), kept in the history row. */
  reason?: string | undefined;
  /** The bag page's form requires one; the station's undo sends none. */
  requireReason?: boolean;
}
export interface UndoResult {
  removed: Bag;
  parent: Bag;
}

/**
 * Undo the last link on a parent (dispatchers: their own, within the hour; admins and billers:
 * anyone's), or unlink a named child (admins and billers). The child stays, unlinked.
 */
export function undoLink(ctx: Ctx, actor: Actor, input: UndoInput): Promise<UndoResult> {
  const named = input.code !== undefined;
  return runAttempt(ctx, actor, { action: named ? 'scan.unlink' : 'scan.undo' }, async (tx, note, now) => {
    if (named) assertCan(actor, 'scans.unlink');
    const reason = cleanReason(input.reason, input.requireReason === true);
    note.details = reasonDetails(reason);
    const parentCode = tryNormaliseCode(input.parentCode);
    note.related = parentCode ?? null;
    const locked = parentCode === undefined ? undefined : await lockBagByCode(tx, parentCode);
    const parent = assertParentInReach(actor, parentCode ?? '', locked, 'parent_not_found');
    note.areaId = parent.area;
    assertNotOnCompletedBill(parent);
    let child: BagRecord | undefined;
    if (named) {
      const code = tryNormaliseCode(input.code!);
      note.subject = code ?? null;
      child = code === undefined ? undefined : await findBagByCode(tx, code);
      if (!child) throw new DomainError('bag_not_found', `No bag ${code ?? ''}`.trim());
      if (child.parentId !== parent.id) throw new DomainError('nothing_to_undo', `${child.code} is not in parent ${parent.code}`);
    } else {
      const own = actor.role === 'dispatcher';
      child = await findLastLink(tx, parent, own ? { linkedBy: actor.userId, since: new Date(now.getTime() - UNDO_WINDOW_MS) } : {});
      if (!child) {
        throw new DomainError(
          'nothing_to_undo',
          own ? `No link of yours on ${parent.code} in the last hour` : `${parent.code} has no children`,
        );
      }
      note.subject = child.code;
    }
    const removed = await unlinkChild(tx, child.id, parent.id, now);
    if (!removed) throw new Error(`child ${child.code} left ${parent.code} while it was locked`);
    const after = await removeChildFromParent(tx, parent.id, now);
    await billChildrenChanged(tx, after, -1, now);
    note.details = {
      linkedBy: child.linkedBy,
      linkedAt: child.linkedAt?.toISOString(),
      childCount: after.childCount,
      ...reasonDetails(reason),
    };
    return { outcome: 'unlinked', value: { removed: publicBag(removed), parent: publicBag(after) } };
  });
}
