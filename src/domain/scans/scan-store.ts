/**
 * What the parent and child scan rules read and write, as one small interface. The scan use
 * cases run the rules on `txStore(tx)`: every call is the repository statement it always was.
 * An import runs the very same rule functions on a chunk store (imports/chunk-store.ts) that
 * answers from rows pre-read for a whole chunk and writes them back set-based at its end —
 * so the rules live in one place (parent-scan.service.ts, child-scan.service.ts, scan-rules.ts) whoever calls them.
 */
import type { Area } from '../areas/area.js';
import type { BagRecord } from '../bags/bag.js';
import { billChildrenChanged } from '../bills/bill-counters.js';
import { findArea, firstArea } from '../../storage/areas.repository.js';
import { findBagByCode, insertBag, lockParentFindChild, type NewBag } from '../../storage/bags.repository.js';
import { linkIntoParent, type ChildToLink } from '../../storage/bag-links.repository.js';
import type { Tx } from '../../storage/database.js';

/** A write can lose a race only to a commit that changed the very row; twice in a row is a bug. */
export const MAX_RACE_RETRIES = 3;

export interface ScanStore {
  /** The transaction (reference data such as the kinds is read through it). */
  readonly tx: Tx;
  findBag(code: string): Promise<BagRecord | undefined>;
  /** The parent locked (and its bill), the child as it is. */
  lockParentFindChild(parentCode: string, code: string): Promise<{ parent?: BagRecord; child?: BagRecord }>;
  /** Undefined when the code already exists. */
  insertBag(b: NewBag, now: Date): Promise<BagRecord | undefined>;
  /** Links and counts; undefined when the child was taken meanwhile (see bag-links.repository.ts). */
  linkIntoParent(
    child: ChildToLink,
    parent: BagRecord,
    linkedBy: string,
    now: Date,
  ): Promise<{ child: BagRecord; parent: BagRecord } | undefined>;
  /** A billed parent's bill counts its children too. */
  billChildrenChanged(parent: Pick<BagRecord, 'billId'>, delta: 1 | -1, now: Date): Promise<void>;
  findArea(id: string): Promise<Area | undefined>;
  firstArea(): Promise<Area | undefined>;
}

/** The rules on the database itself: one statement per call, inside the caller's transaction. */
export function txStore(tx: Tx): ScanStore {
  return {
    tx,
    findBag: (code) => findBagByCode(tx, code),
    lockParentFindChild: (parentCode, code) => lockParentFindChild(tx, parentCode, code),
    insertBag: (b, now) => insertBag(tx, b, now),
    linkIntoParent: (child, parent, linkedBy, now) => linkIntoParent(tx, child, parent, linkedBy, now),
    billChildrenChanged: (parent, delta, now) => billChildrenChanged(tx, parent, delta, now),
    findArea: (id) => findArea(tx, id),
    firstArea: () => firstArea(tx),
  };
}
