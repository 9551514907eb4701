/** The data line of the bench database (bench/bench-db.ts): the size measured, and a grown database named as such. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataNote, GROWN_SHARE } from '../../bench/bench-db.js';

test('a database at its seeded size is described, without a warning', () => {
  assert.equal(dataNote(2_000_000, 3_006_511, 2_000_000), 'data: 2.00M bags, 3.01M history rows (seeded with 2.00M bags)');
  assert.doesNotMatch(dataNote(2_000_000 * GROWN_SHARE, 3e6, 2_000_000), /grown/);
});

test('a database grown past the share says the run does not measure the seeded size', () => {
  const note = dataNote(5_252_642, 6_332_955, 2_000_000);
  assert.match(note, /^data: 5\.25M bags, 6\.33M history rows \(seeded with 2\.00M bags\) — grown by earlier runs/);
  assert.match(note, /does not measure 2\.00M bags; drop the database/);
  assert.match(dataNote(2_000_000 * GROWN_SHARE + 1, 3e6, 2_000_000), /grown/);
});
