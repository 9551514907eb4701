/** The bag rules of SPEC §3 as pure functions (domain/bags/bag.ts); the SQL side: test/api/rules-in-sql.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaOfLinkedChild, parentStatusAt } from '../../src/domain/bags/bag.js';
import { parentBag } from './fixtures.js';

test('parentStatusAt: pending below capacity, completed at it (30 and 15 per sack)', () => {
  for (const capacity of [30, 15]) {
    assert.equal(parentStatusAt(0, capacity), 'pending');
    assert.equal(parentStatusAt(capacity - 1, capacity), 'pending');
    assert.equal(parentStatusAt(capacity, capacity), 'completed');
  }
  assert.equal(parentStatusAt(31, 30), 'completed', 'over capacity (an old import) is still completed');
});

test('areaOfLinkedChild: the parent’s area, whatever the child had', () => {
  assert.equal(areaOfLinkedChild(parentBag({ area: 'indore' })), 'indore');
  assert.equal(areaOfLinkedChild(parentBag({ area: 'jaipur' })), 'jaipur');
});
