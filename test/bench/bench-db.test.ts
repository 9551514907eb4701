/** The data line of the bench database (bench/bench-db.ts): the size measured, against the size the bench is for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataNote, GROWN_SHARE, SAMPLED_SHARE } from '../../bench/bench-db.js';

test('a database of the size the bench is for is described, without a warning', () => {
  assert.equal(dataNote(2_000_000, 3_006_511, 2_000_000), 'data: 2.00M bags, 3.01M history rows (the bench is for 2.00M bags)');
  assert.doesNotMatch(dataNote(2_000_000 * GROWN_SHARE, 3e6, 2_000_000), /does not measure/);
});

test('a database grown past the share says the run does not measure the size the bench is for', () => {
  const note = dataNote(5_252_642, 6_332_955, 2_000_000);
  assert.match(note, /^data: 5\.25M bags, 6\.33M history rows \(the bench is for 2\.00M bags\) — grown by earlier runs/);
  assert.match(note, /does not measure that size; drop the database/);
  assert.match(dataNote(2_000_000 * GROWN_SHARE + 1, 3e6, 2_000_000), /grown by earlier runs/);
});

test('a database seeded smaller than the bench is for says so', () => {
  assert.match(dataNote(200_000, 300_000, 2_000_000), /seeded with fewer, so this run does not measure that size/);
  assert.match(dataNote(2_000_000 * SAMPLED_SHARE - 1, 3e6, 2_000_000), /seeded with fewer/);
});

test("the analyser's estimate a little under a full seed is not taken for a smaller seed", () => {
  // reltuples after vacuum analyze of a fresh 2,000,000-bag seed read 1,998,844 of 2,000,200 on one machine.
  assert.doesNotMatch(dataNote(1_996_000, 3e6, 2_000_000), /does not measure/);
  assert.doesNotMatch(dataNote(2_000_000 * SAMPLED_SHARE, 3e6, 2_000_000), /does not measure/);
});
