/**
 * The memory behind remembered parents (storage/known-parents.ts) on its own: what it keeps,
 * what it forgets, and its bound. The scans that use it: remembered-parents.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KnownParents } from '../../src/storage/known-parents.js';
import type { ReadBag } from '../../src/storage/scans.repository.js';

const parent = (code: string, version: string, childCount = 1): ReadBag => ({
  id: code.slice(2),
  code,
  type: 'parent',
  kind: 'SB',
  area: 'indore',
  status: 'pending',
  childCount,
  capacity: 30,
  parentCode: null,
  billId: null,
  createdAt: new Date(0),
  parentId: null,
  linkedBy: null,
  linkedAt: null,
  billCompleted: false,
  version,
});

test('keeps the parent each done link left, the newest over the older, and at most its bound, oldest written out first', () => {
  const known = new KnownParents<ReadBag>(2);
  const read = parent('SB1', '10');
  known.linked(read, 'done', parent('SB1', '11', 2));
  known.linked(parent('SB2', '20'), 'done', parent('SB2', '21'));
  known.linked(known.get('SB1')!, 'done', parent('SB1', '12', 3)); // SB1 written again: now the newest
  known.linked(parent('SB3', '30'), 'done', parent('SB3', '31'));
  assert.deepEqual([known.get('SB1')?.version, known.get('SB2')?.version, known.get('SB3')?.version], ['12', undefined, '31']);
  assert.deepEqual(known.stats, { used: 1, missed: 0 }, 'only the link decided on a remembered parent was a guess');
});

test('a bound of 0 remembers nothing', () => {
  const known = new KnownParents<ReadBag>(0);
  known.linked(parent('SB1', '10'), 'done', parent('SB1', '11'));
  assert.equal(known.get('SB1'), undefined);
});

test('a taken scanId keeps the parent; a link that changed nothing forgets it, and only a changed parent holds guesses back', () => {
  const known = new KnownParents<ReadBag>();
  known.linked(parent('SB1', '10'), 'done', parent('SB1', '11'));
  known.linked(known.get('SB1')!, 'taken', undefined);
  assert.equal(known.get('SB1')?.version, '11');
  known.linked(known.get('SB1')!, 'child changed', undefined);
  assert.equal(known.get('SB1'), undefined, 'the retry reads');
  known.linked(parent('SB1', '12'), 'done', parent('SB1', '13'));
  assert.equal(known.get('SB1')?.version, '13', 'remembered again at once after a code miss');
  known.linked(known.get('SB1')!, 'changed', undefined);
  known.linked(parent('SB1', '14'), 'done', parent('SB1', '15'));
  assert.equal(known.get('SB1'), undefined, 'not remembered again for a while after the parent changed');
  assert.deepEqual(known.stats, { used: 3, missed: 2 });
});
