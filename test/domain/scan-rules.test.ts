/** SPEC §3's scan rules as pure decisions, in the spec's order (domain/scans/scan-rules.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNotOnCompletedBill,
  assertParentInReach,
  assertParentOpen,
  decideChildScan,
  decideParentScan,
} from '../../src/domain/scans/scan-rules.js';
import { BILLER, CHILD, DISPATCHER, SB, childBag, parentBag, refusal } from './fixtures.js';

test('parent scan: a new code of a parent pattern is created with its kind', () => {
  assert.deepEqual(decideParentScan(DISPATCHER, { code: 'SB00001', kind: SB, existing: undefined }), { action: 'create', kind: SB });
});

test('parent scan: a new code of no parent pattern is invalid_format; an existing legacy code resumes', () => {
  refusal(() => decideParentScan(DISPATCHER, { code: 'XX1', kind: undefined, existing: undefined }), 'invalid_format');
  const legacy = parentBag({ code: 'PAWAN GODARA 09', kind: null });
  assert.equal(decideParentScan(DISPATCHER, { code: legacy.code, kind: undefined, existing: legacy }).action, 'resume');
});

test('parent scan: a child is wrong_bag_type; another area is wrong_area for a dispatcher only', () => {
  refusal(() => decideParentScan(DISPATCHER, { code: '0016586', kind: undefined, existing: childBag() }), 'wrong_bag_type');
  const elsewhere = parentBag({ area: 'hisar' });
  refusal(() => decideParentScan(DISPATCHER, { code: elsewhere.code, kind: SB, existing: elsewhere }), 'wrong_area');
  assert.equal(decideParentScan(BILLER, { code: elsewhere.code, kind: SB, existing: elsewhere }).action, 'resume');
});

const childFacts = (o: Partial<Parameters<typeof decideChildScan>[1]> = {}) => ({
  code: '0016586',
  parentCode: 'SB00001',
  kind: CHILD,
  child: undefined,
  parent: parentBag(),
  ...o,
});

test('child scan: a new child code links, creating the child', () => {
  const d = decideChildScan(DISPATCHER, childFacts());
  assert.equal(d.action, 'link');
  assert.equal(d.action === 'link' && d.kind, CHILD);
});

test('child scan: refusals in the spec order', () => {
  refusal(() => decideChildScan(DISPATCHER, childFacts({ kind: undefined })), 'invalid_format');
  refusal(() => decideChildScan(DISPATCHER, childFacts({ kind: undefined, parent: undefined })), 'invalid_format'); // 1 before 2
  refusal(() => decideChildScan(DISPATCHER, childFacts({ parent: undefined })), 'parent_not_found');
  refusal(() => decideChildScan(DISPATCHER, childFacts({ parent: childBag({ code: 'SB00001' }) })), 'wrong_bag_type');
  refusal(() => decideChildScan(DISPATCHER, childFacts({ parent: parentBag({ area: 'hisar' }) })), 'wrong_area');
  refusal(() => decideChildScan(DISPATCHER, childFacts({ code: 'SB00001', kind: SB })), 'wrong_bag_type'); // the parent itself
  refusal(() => decideChildScan(DISPATCHER, childFacts({ code: 'SB00002', kind: SB })), 'wrong_bag_type'); // a parent code
  refusal(() => decideChildScan(DISPATCHER, childFacts({ child: parentBag({ code: '0016586' }) })), 'wrong_bag_type');
});

test('child scan: already in this parent succeeds and changes nothing; in another parent is refused naming it', () => {
  const parent = parentBag({ childCount: 1 });
  const child = childBag({ parentId: parent.id, parentCode: parent.code, status: 'linked' });
  assert.equal(decideChildScan(DISPATCHER, childFacts({ parent, child })).action, 'already_linked');
  const elsewhere = childBag({ parentId: 'other', parentCode: 'SB00099', status: 'linked' });
  const err = refusal(() => decideChildScan(DISPATCHER, childFacts({ child: elsewhere })), 'already_linked_other_parent');
  assert.match(err.message, /SB00099/);
});

test('child scan: a full, completed or locked-bill parent takes no child, and the answer names the parent', () => {
  assert.match(
    refusal(() => decideChildScan(DISPATCHER, childFacts({ parent: parentBag({ childCount: 30 }) })), 'parent_full').message,
    /SB00001/,
  );
  assert.match(
    refusal(
      () => decideChildScan(DISPATCHER, childFacts({ parent: parentBag({ status: 'completed', childCount: 27 }) })),
      'parent_completed',
    ).message,
    /SB00001.*27\/30/,
  );
  refusal(() => decideChildScan(DISPATCHER, childFacts({ parent: parentBag({ billId: 'B1', billCompleted: true }) })), 'bill_completed');
  // An already-linked repeat is still a success on a full parent (rule 4 before 6).
  const full = parentBag({ childCount: 30, status: 'completed' });
  assert.equal(
    decideChildScan(DISPATCHER, childFacts({ parent: full, child: childBag({ parentId: full.id, parentCode: full.code }) })).action,
    'already_linked',
  );
});

test('assertParentOpen: completed is reported before full; an open parent with room passes', () => {
  refusal(() => assertParentOpen(parentBag({ status: 'completed', childCount: 30 })), 'parent_completed');
  assert.doesNotThrow(() => assertParentOpen(parentBag({ childCount: 29 })));
  assert.doesNotThrow(
    () => assertParentOpen(parentBag({ capacity: null, kind: null, childCount: 500 })),
    'a legacy parent without a capacity never fills',
  );
});

test('assertParentInReach: missing, a child, or another area (dispatcher) are refused', () => {
  refusal(() => assertParentInReach(DISPATCHER, 'SB1', undefined, 'bag_not_found'), 'bag_not_found');
  refusal(() => assertParentInReach(DISPATCHER, 'SB1', undefined, 'parent_not_found'), 'parent_not_found');
  refusal(() => assertParentInReach(DISPATCHER, 'X', childBag(), 'bag_not_found'), 'wrong_bag_type');
  refusal(() => assertParentInReach(DISPATCHER, 'X', parentBag({ area: 'hisar' }), 'bag_not_found'), 'wrong_area');
  assert.equal(assertParentInReach(BILLER, 'X', parentBag({ area: 'hisar' }), 'bag_not_found').area, 'hisar');
});

test('assertNotOnCompletedBill: a parent on a completed bill is refused with the bill named; on an open bill or none it passes', () => {
  const err = refusal(() => assertNotOnCompletedBill(parentBag({ billId: 'BILL-7', billCompleted: true })), 'bill_completed');
  assert.match(err.message, /BILL-7/);
  assert.doesNotThrow(() => assertNotOnCompletedBill(parentBag({ billId: 'BILL-7', billCompleted: false })));
  assert.doesNotThrow(() => assertNotOnCompletedBill(parentBag()));
});
