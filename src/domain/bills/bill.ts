/**
 * Bills (SPEC §4): a truck's dispatch document. `Bill` is the public shape of SPEC §7;
 * `BillRecord` adds what the rules and pages need. The rules here are pure decisions over facts
 * the services read under locks, checked in the order SPEC §4 lists them, so one situation
 * always gives one error code. Weights are integer kilograms.
 */
import type { BagRecord } from '../bags/bag.js';
import { normaliseCode, type BagKind } from '../codes.js';
import { DomainError } from '../errors.js';

export type BillStatus = 'new' | 'processing' | 'completed';
export const BILL_STATUSES = ['new', 'processing', 'completed'] as const;
export const MAX_BILL_CAPACITY = 500;
export const TEXT_LIMITS = { description: 200, destination: 200, vehicleNumber: 50 } as const;
export const MAX_SHORT_REASON = 500;

export interface Bill {
  billId: string;
  status: BillStatus;
  capacity: number;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
  description: string | null;
  destination: string | null;
  vehicleNumber: string | null;
  /** Username of the creator (null if that user was removed). */
  createdBy: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface BillRecord extends Bill {
  id: string;
  updatedAt: Date;
  /** Why an admin completed it with fewer parents than its capacity. */
  completedShortReason: string | null;
}

export const publicBill = (r: BillRecord): Bill => ({
  billId: r.billId,
  status: r.status,
  capacity: r.capacity,
  parentCount: r.parentCount,
  childCount: r.childCount,
  actualWeightKg: r.actualWeightKg,
  expectedWeightKg: r.expectedWeightKg,
  description: r.description,
  destination: r.destination,
  vehicleNumber: r.vehicleNumber,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  completedAt: r.completedAt,
});

/** A Bill read back from JSON (a stored scanId answer). */
export const reviveBill = (json: unknown): Bill => {
  const b = json as Bill & { createdAt: string; completedAt: string | null };
  return { ...b, createdAt: new Date(b.createdAt), completedAt: b.completedAt === null ? null : new Date(b.completedAt) };
};

/** ASCII letters and digits, space and -_/. (after normalisation: upper case, single spaces). */
const BILL_ID = /^[A-Z0-9 _/.-]{3,50}$/;

/** Normalises a typed or scanned bill id like a code (SPEC §2) and checks its alphabet and length. */
export function normaliseBillId(raw: string): string {
  const id = normaliseCode(raw);
  if (!BILL_ID.test(id)) {
    throw new DomainError('invalid_format', 'A bill id has 3–50 characters: letters, digits, space and - _ / .');
  }
  return id;
}

/** For ids that only look up (paths): undefined when no bill could have that id. */
export function tryNormaliseBillId(raw: string): string | undefined {
  try {
    return normaliseBillId(raw);
  } catch {
    return undefined;
  }
}

/** Optional free text: trimmed, empty means none, at most `max` characters. */
export function cleanText(value: string | null | undefined, max: number, label: string): string | null {
  if (value === undefined || value === null) return null;
  const text = value.replace(/\s+/gu, ' ').trim();
  if (text === '') return null;
  if ([...text].length > max) throw new DomainError('validation_failed', `${label} has at most ${max} characters`);
  return text;
}

/** A vehicle (registration) number is written in capitals: "rj14 ga 1234" is RJ14 GA 1234. */
export function cleanVehicleNumber(value: string | null | undefined): string | null {
  return cleanText(value, TEXT_LIMITS.vehicleNumber, 'The vehicle number')?.toUpperCase() ?? null;
}

export function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_BILL_CAPACITY) {
    throw new DomainError('validation_failed', `Capacity is a whole number of parent bags from 1 to ${MAX_BILL_CAPACITY}`);
  }
  return capacity;
}

// ---- Weights --------------------------------------------------------------------------------

/**
 * Kilograms one child counts for: the expected weight of the child kind (the first child kind
 * by position; SPEC §2 default 1 kg). The recount in storage/check.repository.ts uses the same.
 */
export function childUnitKg(kinds: readonly BagKind[]): number {
  const child = [...kinds].filter((k) => k.type === 'child').sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))[0];
  return child ? child.expectedWeightKg : 1;
}

/** A parent's expected weight: its kind's; a legacy parent without a kind, capacity × unit. */
export function parentExpectedKg(parent: Pick<BagRecord, 'kind' | 'capacity'>, kinds: readonly BagKind[]): number {
  const kind = parent.kind === null ? undefined : kinds.find((k) => k.id === parent.kind);
  return kind ? kind.expectedWeightKg : (parent.capacity ?? 0) * childUnitKg(kinds);
}

/** How a bill's counters move when a parent joins (+1) or leaves (−1). */
export interface CounterDelta {
  parents: number;
  children: number;
  actualKg: number;
  expectedKg: number;
}

export function parentDelta(parent: BagRecord, kinds: readonly BagKind[], sign: 1 | -1): CounterDelta {
  return {
    parents: sign,
    children: sign * parent.childCount,
    actualKg: sign * parent.childCount * childUnitKg(kinds),
    expectedKg: sign * parentExpectedKg(parent, kinds),
  };
}

// ---- Rules ----------------------------------------------------------------------------------

export interface LinkFacts {
  billId: string;
  code: string;
  /** The bill row, locked. */
  bill: BillRecord | undefined;
  /** The parent row, locked. */
  parent: BagRecord | undefined;
}

export type LinkDecision = { action: 'already_on_bill' | 'link'; bill: BillRecord; parent: BagRecord };

/** SPEC §4, in its order: bill, bag, type, this bill, other bill, completed, capacity. */
export function decideLink(f: LinkFacts): LinkDecision {
  const { bill, parent } = f;
  if (!bill) throw new DomainError('bill_not_found', `No bill ${f.billId}`);
  if (!parent) throw new DomainError('bag_not_found', `No bag ${f.code}: scan it at the station first`);
  if (parent.type !== 'parent') throw new DomainError('wrong_bag_type', `${f.code} is a child bag, not a parent`);
  if (parent.billId === bill.billId) return { action: 'already_on_bill', bill, parent };
  if (parent.billId !== null) {
    throw new DomainError('already_linked_other_bill', `${f.code} is already on bill ${parent.billId}`, { billId: parent.billId });
  }
  assertBillOpen(bill);
  if (bill.parentCount >= bill.capacity) {
    throw new DomainError('capacity_reached', `Bill ${bill.billId} is full (${bill.parentCount}/${bill.capacity})`, fill(bill));
  }
  return { action: 'link', bill, parent };
}

/** A completed bill is locked until reopened. */
export function assertBillOpen(bill: BillRecord): void {
  if (bill.status === 'completed') {
    throw new DomainError('bill_completed', `Bill ${bill.billId} is completed: reopen it first`, { billId: bill.billId });
  }
}

export type CompleteDecision = { action: 'already_completed' } | { action: 'complete'; shortReason: string | null };

/**
 * Completing needs parents ≥ capacity; an admin may complete short by giving a reason. An empty
 * bill is never completed (there is no truck to send).
 */
export function decideComplete(role: string, bill: BillRecord, rawReason: string | undefined): CompleteDecision {
  if (bill.status === 'completed') return { action: 'already_completed' };
  const missing = bill.capacity - bill.parentCount;
  if (missing <= 0) return { action: 'complete', shortReason: null };
  const reason = cleanText(rawReason, MAX_SHORT_REASON, 'The reason');
  const details = { missing, ...fill(bill) };
  if (bill.parentCount === 0) throw new DomainError('bill_incomplete', `Bill ${bill.billId} has no parents yet`, details);
  if (reason === null) {
    const how = role === 'admin' ? ': give a reason to complete it short' : '';
    throw new DomainError('bill_incomplete', `Bill ${bill.billId} is ${missing} parent${missing === 1 ? '' : 's'} short${how}`, details);
  }
  if (role !== 'admin') throw new DomainError('forbidden', 'Only an admin may complete a bill short', details);
  return { action: 'complete', shortReason: reason };
}

/** Capacity is never below what is linked, and a completed bill's capacity stays as it was. */
export function checkNewCapacity(bill: BillRecord, capacity: number): number {
  checkCapacity(capacity);
  if (capacity === bill.capacity) return capacity;
  assertBillOpen(bill);
  if (capacity < bill.parentCount) {
    throw new DomainError('validation_failed', `Capacity cannot go below the ${bill.parentCount} parents already linked`, fill(bill));
  }
  return capacity;
}

/** The status a bill that is not completed has with this many parents. */
export const openStatus = (parentCount: number): BillStatus => (parentCount === 0 ? 'new' : 'processing');

const fill = (b: BillRecord) => ({ parentCount: b.parentCount, capacity: b.capacity });
