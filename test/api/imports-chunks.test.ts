/**
 * Chunked imports (ADR 0024): a chunk pre-reads its bags, runs the scan rules in memory and
 * writes set-based. Held to the reference — the same files run row by row on the database
 * (`rowByRow`) — on two files of ~1,100 rows that cross the 500-row chunk boundary: every bag,
 * bill, history row, report line and counter must come out identical. Then the boundary cases
 * one by one: a parent created in one chunk and filled in the next, a label block and a refused
 * label block across the 500-row mark, codes repeated inside one chunk; dry run and a second import.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Actor } from '../../src/domain/actor.js';
import { createBill } from '../../src/domain/bills/bills.service.js';
import { linkParent } from '../../src/domain/bills/bill-links.service.js';
import { runImport, BATCH_ROWS } from '../../src/domain/imports/imports.service.js';
import type { ImportKind } from '../../src/domain/imports/import.js';
import { ChunkConflict, ChunkStore } from '../../src/domain/imports/chunk-store.js';
import { scanChild } from '../../src/domain/scans/child-scan.service.js';
import { applyParentScan, scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { insertBag } from '../../src/storage/bags.repository.js';
import { readSheet } from '../../src/lib/spreadsheet.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';
import { csv } from '../helpers/imports.js';

const START = '2026-11-25T06:00:00Z';
const t = useTestApp({ startAt: START });

const code = (prefix: string, i: number) => `${prefix}${String(i).padStart(7, '0')}`;

/** The same starting point for both runs: parents with children, one on an open bill, one full. */
async function given(): Promise<Actor> {
  const u = await makeUser(t.app, { username: 'chunk_admin', role: 'admin' });
  const actor: Actor = { userId: u.id, username: u.username, role: 'admin', areaId: null };
  for (const p of ['SB50001', 'SB50002', 'SB50003']) await scanParent(t.app.ctx, actor, { code: p, area: 'indore' });
  await scanChild(t.app.ctx, actor, { parentCode: 'SB50001', code: 'C5000001' });
  await scanChild(t.app.ctx, actor, { parentCode: 'SB50001', code: 'C5000002' });
  for (let i = 1; i <= 30; i++) await scanChild(t.app.ctx, actor, { parentCode: 'SB50003', code: code('F', i) });
  await createBill(t.app.ctx, actor, { billId: 'BILL-50', capacity: 5 });
  await linkParent(t.app.ctx, actor, 'BILL-50', { code: 'SB50002' });
  return actor;
}

/** A bags file: 500 rows in the first chunk (rows 2-501), the rest in the second. */
function bagsRows(): string[][] {
  const rows: string[][] = [['code', 'type', 'parent_code', 'area']];
  const add = (...r: string[]) => rows.push(r);
  add('SB51001', 'parent', '', 'jaipur'); // 2 created
  for (let i = 1; i <= 20; i++) add(code('C51', i), 'child', 'SB51001', ''); // 3-22 linked
  add(code('C51', 1), 'child', 'SB51001', ''); // already linked (same chunk): skipped
  add(code('C51', 2), 'child', 'SB50001', ''); // in SB51001 already: already_linked_other_parent
  add('SB51001', 'parent', '', ''); // resumed: skipped
  for (let i = 1; i <= 3; i++) add(code('B50', i), 'child', 'SB50002', ''); // linked, the bill counts them
  add(code('X50', 1), 'child', 'SB50003', ''); // parent_completed
  add('U5100001', 'child', '', ''); // created loose
  add('U5100001', 'child', '', ''); // exists: skipped
  add('C5000001', 'child', '', ''); // exists (linked): skipped
  add('SB50001', 'child', '', ''); // wrong_bag_type
  for (let i = 1; rows.length < 499; i++) add(code('L', i), 'child', '', i % 7 === 0 ? 'raipur' : ''); // loose children
  add('SB52001', 'parent', '', ''); // row 500: created in chunk 1
  add(code('C52', 1), 'child', 'SB52001', ''); // row 501: last row of chunk 1
  for (let i = 2; i <= 5; i++) add(code('C52', i), 'child', 'SB52001', ''); // chunk 2: the parent from chunk 1
  add('U5100001', 'child', 'SB52001', ''); // the loose child of chunk 1 linked now
  for (let i = 21; i <= 31; i++) add(code('C51', i), 'child', 'SB51001', ''); // 10 fill SB51001 to 30, the 11th: parent_completed
  add(code('B50', 4), 'child', 'SB50002', ''); // the bill counts it
  for (let i = 1; i <= 500; i++) add(code('M', i), 'child', '', '');
  return rows;
}

/** Label blocks of 15 + an M444 parent; block 32 (rows 498-513) crosses the 500-row mark. */
function labelRows(): string[][] {
  const rows: string[][] = [['Sr. No.', 'QR Code']];
  const label = (n: number) => `LABEL NO.${String(n).padStart(7, '0')} LOT NO.:STAR44GG`;
  const block = (first: number, n: number, parent: string) => {
    for (let k = 0; k < n; k++) rows.push([String(k + 1), label(first + k)]);
    rows.push(['16', parent]);
  };
  for (let b = 1; b <= 30; b++) block(600000 + b * 100, 15, `M444-${String(60000 + b).padStart(5, '0')}`); // rows 2-481
  block(700001, 5, 'M444-07001'); // rows 482-487: 5 in a new parent
  block(700001, 2, 'M444-07001'); // rows 488-490: the same labels again: skipped
  block(700101, 6, 'M444-07002'); // rows 491-497
  block(700201, 15, 'M444-07003'); // rows 498-513: across the 500-row mark, whole
  block(700301, 14, 'M444-07004'); // rows 514-528: refused across chunk 2 …
  rows.splice(rows.length - 2, 0, ['14', label(700005)]); // … because one label is in M444-07001
  block(700401, 3, 'SB50002'); // the billed parent takes 3 labels
  rows.push(['1', label(700701)], ['2', label(600101)], ['16', 'SB50002']); // refused (600101 is in M444-60001): the bill keeps its count
  block(700501, 11, 'M444-07001'); // 11 more into a parent of chunk 1: 10 fit, the block is refused (parent_full)
  block(700601, 10, 'M444-07002'); // 9 fit (6 + 9 = 15)… 10th: refused
  block(700601, 9, 'M444-07002'); // 9 fit: linked, completes it
  for (let b = 1; b <= 35; b++) block(800000 + b * 100, 15, `M444-${String(80000 + b).padStart(5, '0')}`);
  block(900001, 3, 'SB1'); // the parent is bad: the block is refused
  rows.push(['1', label(900101)]); // no parent closes it
  return rows;
}

async function importRows(actor: Actor, kind: ImportKind, rows: string[][], o: { dryRun?: boolean; rowByRow?: boolean } = {}) {
  const sheet = readSheet(Readable.from([Buffer.from(csv(rows))]), 'csv');
  return runImport(
    t.app.ctx,
    actor,
    { kind, fileName: `${kind}.csv`, dryRun: o.dryRun ?? false, rows: sheet, ...(o.rowByRow ? { rowByRow: true } : {}) },
    () => false,
  );
}

/** Everything an import can touch, without row ids (bags are inserted in another order). */
async function snapshot() {
  const db = t.app.ctx.db;
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    bags: await q(`select b.code, b.type, b.kind_id, b.area_id, b.status, b.child_count, b.capacity, p.code as parent, b.linked_by, b.linked_at,
      b.created_by, b.created_at, b.updated_at, b.completed_at, b.bill_id from bags b left join bags p on p.id = b.parent_id order by b.code`),
    events: await q('select at, actor_id, actor_name, action, outcome, subject, related, area_id, details from events order by id'),
    bills: await q('select * from bills order by id'),
    imports: await q('select id, kind, rows, created, linked, skipped, failed, errors, status, dry_run from imports order by id'),
    report: await q('select * from import_rows order by import_id, row_no'),
    counters: await q(
      'select area_id, sum(parent_bags)::int as parents, sum(child_bags)::int as children from stat_bag_counters group by area_id order by area_id',
    ),
    scans: await q('select day, area_id, sum(scans)::int as scans from stat_scan_days group by day, area_id order by day, area_id'),
  };
}

async function runBoth(rowByRow: boolean) {
  await t.database.reset();
  await t.rebuild({ startAt: START });
  const actor = await given();
  const bags = await importRows(actor, 'bags', bagsRows(), { rowByRow });
  t.clock.advanceMinutes(5);
  const labels = await importRows(actor, 'label_batches', labelRows(), { rowByRow });
  t.clock.advanceMinutes(5);
  const again = await importRows(actor, 'label_batches', labelRows(), { rowByRow });
  return { answers: [bags, labels, again], state: await snapshot() };
}

test('chunks write exactly what row-by-row processing writes: bags, bills, history, reports, counters', async () => {
  assert.equal(BATCH_ROWS, 500, 'the files below are laid out around a 500-row chunk');
  const reference = await runBoth(true);
  const chunked = await runBoth(false);
  assert.deepEqual(chunked.answers, reference.answers);
  for (const k of Object.keys(reference.state) as (keyof typeof reference.state)[])
    assert.deepEqual(chunked.state[k], reference.state[k], k);
  // The comparison compared something: the files do what their comments say.
  const [bags, labels, again] = chunked.answers.map((a) => [a.rows, a.created, a.linked, a.skipped, a.failed]);
  // bags: 969 created = SB51001, SB52001, U5100001, 466 + 500 loose children.
  assert.deepEqual(bags, [1017, 969, 20 + 3 + 1 + 4 + 1 + 10 + 1, 4, 4]);
  // labels: 68 parents; 30 × 15 + 5 + 6 + 15 + 3 + 9 + 35 × 15 children; 47 refused (16 + 3 + 12 + 11 + 4 + 1).
  assert.deepEqual(labels, [1133, 68, 1013, 5, 47]);
  assert.deepEqual(again, [1133, 0, 0, 1086, 47], 'a second import changes nothing');
});

test('across the 500-row mark: a parent of chunk 1 filled in chunk 2, whole blocks, repeated codes', async () => {
  const actor = await given();
  const b = await importRows(actor, 'bags', bagsRows());
  const bag = (c: string) =>
    t.app.ctx.db
      .selectFrom('bags as b')
      .leftJoin('bags as p', 'p.id', 'b.parent_id')
      .select(['b.status', 'b.child_count', 'b.area_id', 'p.code as parent'])
      .where('b.code', '=', c)
      .executeTakeFirstOrThrow();
  assert.deepEqual(await bag('SB52001'), { status: 'pending', child_count: 6, area_id: 'lucknow', parent: null });
  assert.deepEqual(await bag('U5100001'), { status: 'linked', child_count: 0, area_id: 'lucknow', parent: 'SB52001' });
  assert.deepEqual(await bag('SB51001'), { status: 'completed', child_count: 30, area_id: 'jaipur', parent: null });
  assert.equal((await bag(code('C51', 2))).parent, 'SB51001');
  const errs = new Map(b.errors.map((e) => [e.row, e.code]));
  assert.equal(errs.get(24), 'already_linked_other_parent', 'a code repeated in one chunk under another parent');
  assert.equal(errs.get(33), 'wrong_bag_type');
  const bill = await t.app.ctx.db.selectFrom('bills').selectAll().where('bill_id', '=', 'BILL-50').executeTakeFirstOrThrow();
  assert.deepEqual([bill.child_count, bill.actual_weight_kg], [4, 4], 'the bill counts the children its parent took in both chunks');

  const l = await importRows(actor, 'label_batches', labelRows());
  const errsL = new Map(l.errors.map((e) => [e.row, e.code]));
  assert.deepEqual(
    await bag('M444-07003'),
    { status: 'completed', child_count: 15, area_id: 'lucknow', parent: null },
    'rows 498-513: one block across the mark',
  );
  assert.equal(
    await t.app.ctx.db.selectFrom('bags').select('code').where('code', '=', 'M444-07004').executeTakeFirst(),
    undefined,
    'a refused block across the mark leaves nothing',
  );
  assert.equal(errsL.get(514), 'already_linked_other_parent');
  assert.deepEqual(
    await bag('M444-07001'),
    { status: 'pending', child_count: 5, area_id: 'lucknow', parent: null },
    'parent_full refused the whole 10-label block',
  );
  assert.deepEqual(await bag('M444-07002'), { status: 'completed', child_count: 15, area_id: 'lucknow', parent: null });
});

test('a chunked dry run answers like the real run and writes nothing', async () => {
  const actor = await given();
  const before = await snapshot();
  const dry = await importRows(actor, 'label_batches', labelRows(), { dryRun: true });
  const after = await snapshot();
  assert.deepEqual({ ...after, imports: [], report: [] }, { ...before, imports: [], report: [] });
  const real = await importRows(actor, 'label_batches', labelRows());
  assert.deepEqual({ ...dry, importId: 0, dryRun: 0 }, { ...real, importId: 0, dryRun: 0 });
  assert.ok(real.linked > 1000);
});

test('a code a station creates after the pre-read: the chunk refuses to flush and writes nothing (it is then run again)', async () => {
  const actor = await given();
  const now = t.clock.now();
  await assert.rejects(
    t.app.ctx.db.transaction().execute(async (tx) => {
      const store = await ChunkStore.open(tx, ['SB59001']);
      // A station creates the code meanwhile (here: in the same transaction, after the pre-read).
      await insertBag(
        tx,
        { code: 'SB59001', type: 'parent', kindId: 'SB', areaId: 'lucknow', status: 'pending', capacity: 30, createdBy: null },
        now,
      );
      const r = await applyParentScan(t.app.ctx, store, actor, { code: 'SB59001' }, {}, now);
      assert.equal(r.outcome, 'created', 'decided on the pre-read');
      await store.flush(now);
    }),
    ChunkConflict,
  );
  assert.equal(await t.app.ctx.db.selectFrom('bags').select('code').where('code', '=', 'SB59001').executeTakeFirst(), undefined);
});

test('a chunk that hits such a conflict is rolled back and run again: counts and history once, nothing twice', async () => {
  const actor = await given();
  const db = t.app.ctx.db;
  // The first insert into bags is preceded by a "station" creating SB59001 in the same transaction
  // (a sequence, not rolled back, makes it happen once): the chunk's insert comes up one short.
  await sql`create sequence test_station_once`.execute(db);
  await sql
    .raw(`create function test_station_scan() returns trigger language plpgsql as $$
    begin
      if nextval('test_station_once') = 1 then
        insert into bags (code, type, kind_id, area_id, status, capacity) values ('SB59001', 'parent', 'SB', 'indore', 'pending', 30);
      end if;
      return null;
    end $$`)
    .execute(db);
  await sql`create trigger test_station_scan before insert on bags for each statement execute function test_station_scan()`.execute(db);
  try {
    const a = await importRows(actor, 'bags', [
      ['code', 'type', 'parent_code', 'area'],
      ['SB59001', 'parent', '', ''],
      ['C5900001', 'child', 'SB59001', ''],
    ]);
    assert.deepEqual([a.rows, a.created, a.linked, a.skipped, a.failed], [2, 1, 1, 0, 0]);
    const fired = Number((await sql<{ n: string }>`select last_value as n from test_station_once`.execute(db)).rows[0]!.n);
    assert.ok(fired >= 3, `the chunk ran twice (trigger fired ${fired} times)`);
    const bags = await db
      .selectFrom('bags')
      .select(['code', 'area_id', 'child_count'])
      .where('code', 'in', ['SB59001', 'C5900001'])
      .orderBy('code')
      .execute();
    assert.deepEqual(bags, [
      { code: 'C5900001', area_id: 'lucknow', child_count: 0 },
      { code: 'SB59001', area_id: 'lucknow', child_count: 1 },
    ]);
    const history = await db.selectFrom('events').select(['action', 'subject']).where('action', '=', 'import.bag').execute();
    assert.equal(history.length, 2, 'one history row per file row, none from the rolled-back attempt');
    const rec = await db.selectFrom('imports').select(['rows', 'created', 'linked']).where('id', '=', a.importId).executeTakeFirstOrThrow();
    assert.deepEqual(rec, { rows: 2, created: 1, linked: 1 });
  } finally {
    await sql`drop trigger test_station_scan on bags`.execute(db);
    await sql`drop function test_station_scan()`.execute(db);
    await sql`drop sequence test_station_once`.execute(db);
  }
});
