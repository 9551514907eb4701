/** Plain objects for the pure-rule unit tests: the default kinds, a bag and a bill, with overrides. */
import type { BagRecord } from '../../src/domain/bags/bag.js';
import type { BillRecord } from '../../src/domain/bills/bill.js';
import type { BagKind } from '../../src/domain/codes.js';

export const KINDS: BagKind[] = [
  { id: 'SB', name: 'Mustard', type: 'parent', pattern: '^SB\\d{5}$', capacity: 30, expectedWeightKg: 30, active: true, position: 1 },
  { id: 'M444', name: 'Moong', type: 'parent', pattern: '^M444-\\d{5}$', capacity: 15, expectedWeightKg: 15, active: true, position: 2 },
  {
    id: 'CHILD',
    name: 'Child',
    type: 'child',
    pattern: '^[A-Z0-9]{4,20}$',
    capacity: null,
    expectedWeightKg: 1,
    active: true,
    position: 3,
  },
];
export const SB = KINDS[0]!;
export const CHILD = KINDS[2]!;

let nextId = 1;
export function parentBag(o: Partial<BagRecord> = {}): BagRecord {
  return {
    id: String(nextId++),
    code: 'SB00001',
    type: 'parent',
    kind: 'SB',
    area: 'jaipur',
    status: 'pending',
    childCount: 0,
    capacity: 30,
    parentCode: null,
    billId: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    parentId: null,
    linkedBy: null,
    linkedAt: null,
    billCompleted: false,
    ...o,
  };
}
export function childBag(o: Partial<BagRecord> = {}): BagRecord {
  return parentBag({ code: '0016586', type: 'child', kind: 'CHILD', status: 'unlinked', capacity: null, ...o });
}
export function bill(o: Partial<BillRecord> = {}): BillRecord {
  return {
    id: String(nextId++),
    billId: 'BILL-1',
    status: 'new',
    capacity: 2,
    parentCount: 0,
    childCount: 0,
    actualWeightKg: 0,
    expectedWeightKg: 0,
    description: null,
    destination: null,
    vehicleNumber: null,
    createdBy: 'biller1',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    completedAt: null,
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    completedShortReason: null,
    ...o,
  };
}
export const DISPATCHER = { role: 'dispatcher' as const, areaId: 'jaipur' };
export const BILLER = { role: 'biller' as const, areaId: null };

/** Asserts that `fn` throws a DomainError with this code; returns it for more checks. */
export function refusal(fn: () => unknown, code: string): { code: string; message: string; details?: unknown } {
  try {
    fn();
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code ?? err.message}`);
    return err as { code: string; message: string };
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}
