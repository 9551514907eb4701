/** SPEC §4's bill rules and weights as pure functions (domain/bills/bill.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkNewCapacity,
  childUnitKg,
  decideComplete,
  decideLink,
  openStatus,
  parentDelta,
  parentExpectedKg,
} from '../../src/domain/bills/bill.js';
import { KINDS, bill, childBag, parentBag, refusal } from './fixtures.js';

test('link: refusals in the spec order, then success', () => {
  const facts = (o = {}) => ({ billId: 'BILL-1', code: 'SB00001', bill: bill(), parent: parentBag(), ...o });
  refusal(() => decideLink(facts({ bill: undefined, parent: undefined })), 'bill_not_found');
  refusal(() => decideLink(facts({ parent: undefined })), 'bag_not_found');
  refusal(() => decideLink(facts({ parent: childBag() })), 'wrong_bag_type');
  assert.equal(
    decideLink(facts({ parent: parentBag({ billId: 'BILL-1' }), bill: bill({ status: 'completed' }) })).action,
    'already_on_bill',
    'this bill: success even when completed',
  );
  assert.match(
    refusal(() => decideLink(facts({ parent: parentBag({ billId: 'BILL-9' }) })), 'already_linked_other_bill').message,
    /BILL-9/,
  );
  refusal(() => decideLink(facts({ bill: bill({ status: 'completed', parentCount: 2 }) })), 'bill_completed');
  refusal(() => decideLink(facts({ bill: bill({ status: 'processing', parentCount: 2, capacity: 2 }) })), 'capacity_reached');
  assert.equal(decideLink(facts()).action, 'link');
});

test('complete: needs parents ≥ capacity; short only by an admin with a reason; never empty', () => {
  assert.deepEqual(decideComplete('biller', bill({ parentCount: 2, capacity: 2 }), undefined), { action: 'complete', shortReason: null });
  assert.deepEqual(decideComplete('biller', bill({ status: 'completed' }), undefined), { action: 'already_completed' });
  const short = bill({ parentCount: 1, capacity: 3, status: 'processing' });
  assert.match(refusal(() => decideComplete('biller', short, undefined), 'bill_incomplete').message, /2 parents short/);
  refusal(() => decideComplete('biller', short, 'truck left'), 'forbidden');
  refusal(() => decideComplete('admin', short, '   '), 'bill_incomplete');
  assert.deepEqual(decideComplete('admin', short, ' truck left '), { action: 'complete', shortReason: 'truck left' });
  refusal(() => decideComplete('admin', bill({ parentCount: 0, capacity: 3 }), 'reason'), 'bill_incomplete');
});

test('capacity edits: 1–500, never below what is linked, frozen on a completed bill', () => {
  assert.equal(checkNewCapacity(bill({ parentCount: 2 }), 5), 5);
  refusal(() => checkNewCapacity(bill({ parentCount: 2 }), 1), 'validation_failed');
  refusal(() => checkNewCapacity(bill(), 0), 'validation_failed');
  refusal(() => checkNewCapacity(bill(), 501), 'validation_failed');
  refusal(() => checkNewCapacity(bill({ status: 'completed', capacity: 2 }), 3), 'bill_completed');
  assert.equal(checkNewCapacity(bill({ status: 'completed', capacity: 2 }), 2), 2, 'unchanged is fine');
});

test('open status follows the parent count', () => {
  assert.equal(openStatus(0), 'new');
  assert.equal(openStatus(1), 'processing');
  assert.equal(openStatus(500), 'processing');
});

test('weights: children at the child kind weight, parents at their kind expected weight, legacy by capacity', () => {
  assert.equal(childUnitKg(KINDS), 1);
  assert.equal(parentExpectedKg({ kind: 'SB', capacity: 30 }, KINDS), 30);
  assert.equal(parentExpectedKg({ kind: 'M444', capacity: 15 }, KINDS), 15);
  assert.equal(parentExpectedKg({ kind: null, capacity: 20 }, KINDS), 20);
  assert.deepEqual(parentDelta(parentBag({ childCount: 27 }), KINDS, 1), { parents: 1, children: 27, actualKg: 27, expectedKg: 30 });
  assert.deepEqual(parentDelta(parentBag({ childCount: 27 }), KINDS, -1), { parents: -1, children: -27, actualKg: -27, expectedKg: -30 });
});
