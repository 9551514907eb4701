/**
 * bench/overlap.ts: which slow requests of a paced run met a pause of the server's loop. A wrong
 * count here would blame the collector, or the scheduler, for tails it did not cause.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overlapByOp, overlapTable, type Mark, type Sample } from '../../bench/overlap.js';

const marks: Mark[] = [
  { kind: 'gc', at: 1000, ms: 5 }, // 1000–1005
  { kind: 'gap', at: 1003, ms: 6 }, // overlaps the collection: counts as it
  { kind: 'gap', at: 2000, ms: 8 }, // 2000–2008, no collection
];

test('a slow request is put with the collection it overlapped, else a gap, else neither', () => {
  const samples: Sample[] = [
    ['search', 990, 20], // 990–1010: the collection
    ['search', 1006, 16], // 1006–1022: the gap that began in the collection, so the collection's
    ['search', 1995, 20], // the lone gap
    ['search', 3000, 30], // nothing
    ['search', 2001, 2], // fast, over the lone gap
    ['search', 5000, 2], // fast, over nothing
    ['dashboard', 999, 3], // fast, over the collection
  ];
  const rows = overlapByOp(samples, marks, 15);
  assert.deepEqual(
    rows.map((r) => r.op),
    ['search', 'dashboard'],
  );
  const search = rows[0]!;
  assert.equal(search.count, 6);
  assert.equal(search.slow, 4);
  assert.equal(search.gc, 2, 'a gap that overlaps a collection is part of it');
  assert.equal(search.gapOnly, 1);
  assert.equal(search.neither, 1);
  assert.equal(search.fastGc, 0);
  assert.equal(search.fastGapOnly, 0.5);
  assert.equal(rows[1]!.slow, 0);
  assert.equal(rows[1]!.fastGc, 1);
});

test('a request that ends as a pause starts, or starts as it ends, did not meet it', () => {
  const rows = overlapByOp(
    [
      ['child_scan', 980, 20], // ends at 1000
      ['child_scan', 2008, 20], // starts at 2008
    ],
    marks,
    15,
  );
  assert.equal(rows[0]!.neither, 2);
});

test('the table counts only the marks within the samples’ span', () => {
  const text = overlapTable([['search', 1990, 20]], marks, 15);
  assert.match(text, /^over 0 s: 0 collections \(0 ms\), 1 loop gaps \(8 ms\)/);
  assert.match(text, /\| search \| 1 \| 1 \| 0 \| 1 \| 0 \| 0\.0% \/ 0\.0% \|/);
});

test('the table says how much of the gaps the main thread ran and waited for a core, when the marks say', () => {
  const split: Mark[] = [
    { kind: 'gap', at: 2000, ms: 8, ran: 1.5, waited: 6 },
    { kind: 'gap', at: 2100, ms: 6, ran: 4, waited: 1.6 },
  ];
  const text = overlapTable([['search', 1990, 200]], split, 15);
  assert.match(
    text,
    /^over 0 s: 0 collections \(0 ms\), 2 loop gaps \(14 ms\) \(the main thread over the gaps: 6 ms on a core, 8 ms waiting for one\)/,
  );
  assert.doesNotMatch(overlapTable([['search', 1990, 20]], marks, 15), /main thread/, 'said only when the marks carry it');
});
