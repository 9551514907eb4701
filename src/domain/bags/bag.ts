/**
 * Bags: parents (sacks with a fixed number of children) and children (labelled small bags).
 * `Bag` is the public shape of SPEC §7; `BagRecord` adds the internal facts the rules need.
 */
import type { BagType } from '../codes.js';

export type ParentStatus = 'pending' | 'completed';
export type ChildStatus = 'unlinked' | 'linked';
export type BagStatus = ParentStatus | ChildStatus;

/**
 * SPEC §3: a parent is completed exactly when its children reach its capacity, and pending below
 * it (so taking a child out re-opens it). The link and unlink statements in
 * storage/bag-links.repository.ts enforce this inside their UPDATE; test/api/rules-in-sql.test.ts
 * holds them to this function.
 */
export const parentStatusAt = (childCount: number, capacity: number): ParentStatus => (childCount >= capacity ? 'completed' : 'pending');

/** SPEC §3: a child linked into a parent moves to the parent's area. */
export const areaOfLinkedChild = (parent: Pick<Bag, 'area'>): string => parent.area;

export interface Bag {
  code: string;
  type: BagType;
  /** Kind id ('SB', 'M444', 'CHILD'); null for imported legacy codes that match no kind. */
  kind: string | null;
  area: string;
  status: BagStatus;
  childCount: number;
  /** Children per parent (copied from the kind at creation); null for children. */
  capacity: number | null;
  parentCode: string | null;
  billId: string | null;
  createdAt: Date;
}

export interface BagRecord extends Bag {
  id: string;
  parentId: string | null;
  linkedBy: string | null;
  linkedAt: Date | null;
  /**
   * True when the bag sits on a completed (locked) bill. Always false until the bills work adds
   * bill_id; the rules already honour it (bill_completed), so only the repository changes then.
   */
  billCompleted: boolean;
}

/** Strips the internal fields: what leaves the domain in answers and stored scan replies. */
export const publicBag = (r: BagRecord): Bag => ({
  code: r.code,
  type: r.type,
  kind: r.kind,
  area: r.area,
  status: r.status,
  childCount: r.childCount,
  capacity: r.capacity,
  parentCode: r.parentCode,
  billId: r.billId,
  createdAt: r.createdAt,
});

/** A Bag read back from JSON (a stored scan answer): the one Date field comes back as a string. */
export const reviveBag = (json: unknown): Bag => {
  const b = json as Bag & { createdAt: string | Date };
  return { ...b, createdAt: new Date(b.createdAt) };
};
