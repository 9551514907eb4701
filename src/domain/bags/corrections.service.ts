/**
 * Moving a child to another parent (SPEC §9 last bullet): a supervisor's correction, one
 * transaction and one history row — the unlink from its parent and the link into the target,
 * with every rule of a child scan applied to the target (SPEC §3: area, completed, full, bill
 * locked) and the lock rule of an unlink applied to the source (its bill must be open).
 * Everything is checked before the first write, so a refusal changes nothing (scans/attempt.ts).
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { assertCan } from '../permissions.js';
import { assertAreaAccess } from '../areas/area-scope.js';
import { tryNormaliseCode } from '../codes.js';
import { billChildrenChanged } from '../bills/bill-counters.js';
import { runAttempt } from '../attempt.js';
import { assertNotOnCompletedBill, assertParentOpen } from '../scans/scan-rules.js';
import { findBagByCode } from '../../storage/bags.repository.js';
import { linkIntoParent, removeChildFromParent, unlinkChild } from '../../storage/bag-links.repository.js';
import { lockBagsForMove } from '../../storage/corrections.repository.js';
import { publicBag, type Bag } from './bag.js';
import { cleanReason } from './reason.js';

export interface MoveInput {
  /** The target parent's code, as typed or scanned. */
  to: string;
  reason?: string | undefined;
}

export interface MoveResult {
  child: Bag;
  from: Bag;
  to: Bag;
}

export function moveChild(ctx: Ctx, actor: Actor, rawCode: string, input: MoveInput): Promise<MoveResult> {
  return runAttempt(ctx, actor, { action: 'bag.move' }, async (tx, note, now) => {
    assertCan(actor, 'scans.unlink');
    const code = tryNormaliseCode(rawCode);
    const target = tryNormaliseCode(input.to);
    note.subject = code ?? rawCode.slice(0, 64);
    note.related = target ?? input.to.slice(0, 64);
    const reason = cleanReason(input.reason, true);
    note.details = { reason };

    const seen = code === undefined ? undefined : await findBagByCode(tx, code);
    if (!seen) throw new DomainError('bag_not_found', `No bag ${code ?? ''}`.trim());
    if (seen.type !== 'child') throw new DomainError('wrong_bag_type', `${seen.code} is a parent bag: only children move`);
    if (seen.parentCode === null)
      throw new DomainError('validation_failed', `${seen.code} is in no parent: scan it into one at the station`);
    note.details = { reason, from: seen.parentCode };
    if (target === seen.parentCode) throw new DomainError('validation_failed', `${seen.code} is already in ${target}`);

    // Both parents locked (id order, then their bills), then the child read again under the locks.
    const locked = await lockBagsForMove(tx, target === undefined ? [seen.parentCode] : [seen.parentCode, target]);
    const child = await findBagByCode(tx, seen.code);
    const source = locked.get(seen.parentCode);
    if (!child || !source || child.parentId !== source.id) {
      throw new DomainError('validation_failed', `${seen.code} changed while this was sent: look again and retry`);
    }
    assertAreaAccess(actor, source.area);
    assertNotOnCompletedBill(source);

    const to = target === undefined ? undefined : locked.get(target);
    if (!to) throw new DomainError('parent_not_found', `No parent bag ${target ?? 'with that code'}`);
    if (to.type !== 'parent') throw new DomainError('wrong_bag_type', `${to.code} is a child bag, not a parent`);
    note.areaId = to.area;
    assertAreaAccess(actor, to.area);
    assertParentOpen(to);

    const unlinked = await unlinkChild(tx, child.id, source.id, now);
    if (!unlinked) throw new Error(`child ${child.code} left ${source.code} while it was locked`);
    const from = await removeChildFromParent(tx, source.id, now);
    await billChildrenChanged(tx, from, -1, now);
    const done = await linkIntoParent(tx, { existingId: child.id }, to, actor.userId, now);
    if (!done) throw new Error(`child ${child.code} could not join ${to.code} while both were locked`);
    await billChildrenChanged(tx, done.parent, 1, now);
    note.details = {
      reason,
      from: source.code,
      to: to.code,
      fromCount: from.childCount,
      toCount: done.parent.childCount,
      linkedBy: child.linkedBy,
    };
    return { outcome: 'moved', value: { child: publicBag(done.child), from: publicBag(from), to: publicBag(done.parent) } };
  });
}
