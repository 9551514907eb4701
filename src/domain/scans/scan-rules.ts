/**
 * The scan rules of SPEC §3 as pure decisions over facts the service has read (under a lock
 * where it matters). Checks run in the order the spec lists them, so the same situation always
 * gives the same error code; each refusal is a DomainError, each acceptance says what to write.
 */
import type { Actor } from '../actor.js';
import { assertAreaAccess } from '../areas/area-scope.js';
import type { BagRecord } from '../bags/bag.js';
import type { BagKind } from '../codes.js';
import { DomainError } from '../errors.js';

type Who = Pick<Actor, 'role' | 'areaId'>;

export interface ParentScanFacts {
  code: string;
  /** The parent kind the code would get if new (first matching active parent kind). */
  kind: BagKind | undefined;
  existing: BagRecord | undefined;
}

export type ParentDecision = { action: 'create'; kind: BagKind } | { action: 'resume'; bag: BagRecord };

export function decideParentScan(actor: Who, f: ParentScanFacts): ParentDecision {
  const { code, existing } = f;
  // 1. A new code must fit a parent pattern (legacy codes already stored pass unchecked).
  if (!existing && !f.kind) throw new DomainError('invalid_format', `"${code}" is not a parent bag code`);
  if (!existing) return { action: 'create', kind: f.kind! }; // 4. New: created with its kind.
  // 2. An existing child.
  if (existing.type !== 'parent') throw new DomainError('wrong_bag_type', `${code} is a child bag, not a parent`);
  // 3. Dispatchers resume only the parents of their own area.
  assertAreaAccess(actor, existing.area);
  // 5. Existing parent: resumed with its count and status.
  return { action: 'resume', bag: existing };
}

export interface ChildScanFacts {
  code: string;
  /** Null when the parent code could not even be normalised (it cannot exist). */
  parentCode: string | null;
  /** What the code would be if new: a parent kind when it fits one, else a child kind. */
  kind: BagKind | undefined;
  /** The code is a parent kind's prefix plus digits but no parent code: a misread parent label. */
  truncatedParent?: boolean;
  child: BagRecord | undefined;
  /** The parent row, read FOR UPDATE. */
  parent: BagRecord | undefined;
}

export type ChildDecision =
  | { action: 'already_linked'; child: BagRecord; parent: BagRecord }
  | { action: 'link'; parent: BagRecord; child: BagRecord | undefined; kind: BagKind | undefined };

export function decideChildScan(actor: Who, f: ChildScanFacts): ChildDecision {
  const { code, child, parent } = f;
  // 1. Wrong format and not an existing bag.
  if (!child && !f.kind) throw new DomainError('invalid_format', `"${code}" is not a bag code this system knows`);
  // 1b. A truncated parent read (SB0001 for SB00001) is no new child (SPEC §9); stored codes pass.
  if (!child && f.truncatedParent)
    throw new DomainError('invalid_format', `"${code}" looks like part of a parent code: scan the label again`);
  // 2. The parent in hand: exists, is a parent, is in the dispatcher's area.
  if (!parent) throw new DomainError('parent_not_found', `No parent bag ${f.parentCode ?? 'with that code'}: scan the parent first`);
  if (parent.type !== 'parent') throw new DomainError('wrong_bag_type', `${parent.code} is a child bag, not a parent`);
  assertAreaAccess(actor, parent.area);
  // 3. The scanned code must be a child (existing, or new and of a child kind).
  if (code === parent.code) throw new DomainError('wrong_bag_type', `${code} is the parent itself`);
  if (child ? child.type !== 'child' : f.kind!.type !== 'child') {
    throw new DomainError('wrong_bag_type', `${code} is a parent bag, not a child`);
  }
  // 4. Already in this parent: success, nothing changes.
  if (child && child.parentId === parent.id) return { action: 'already_linked', child, parent };
  // 5. In another parent: refused, naming it.
  if (child && child.parentId !== null) {
    throw new DomainError('already_linked_other_parent', `${code} is already in parent ${child.parentCode}`, {
      parentCode: child.parentCode,
    });
  }
  // 6. The parent must have room.
  assertParentOpen(parent);
  // 8. Link (creating the child if new).
  return { action: 'link', parent, child, kind: child ? undefined : f.kind };
}

/** Rules 6 and 7: a parent takes no more children when completed, full, or on a locked bill. */
export function assertParentOpen(parent: BagRecord): void {
  if (parent.status === 'completed') {
    throw new DomainError('parent_completed', `Parent ${parent.code} is completed (${parent.childCount}/${parent.capacity})`, fill(parent));
  }
  if (parent.capacity !== null && parent.childCount >= parent.capacity) {
    throw new DomainError('parent_full', `Parent ${parent.code} is full (${parent.childCount}/${parent.capacity})`, fill(parent));
  }
  assertNotOnCompletedBill(parent);
}

/** Nothing on a completed bill changes until the bill is reopened. */
export function assertNotOnCompletedBill(parent: BagRecord): void {
  if (parent.billCompleted) {
    throw new DomainError('bill_completed', `Parent ${parent.code} is on completed bill ${parent.billId}: reopen the bill first`, {
      billId: parent.billId,
    });
  }
}

/** The parent named by an undo/complete/reopen: it exists, is a parent, is in the actor's area. */
export function assertParentInReach(
  actor: Who,
  code: string,
  bag: BagRecord | undefined,
  missing: 'parent_not_found' | 'bag_not_found',
): BagRecord {
  if (!bag) throw new DomainError(missing, `No bag ${code}`);
  if (bag.type !== 'parent') throw new DomainError('wrong_bag_type', `${code} is a child bag, not a parent`);
  assertAreaAccess(actor, bag.area);
  return bag;
}

const fill = (p: BagRecord) => ({ childCount: p.childCount, capacity: p.capacity });
