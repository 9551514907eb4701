/**
 * `tracetrack check`: after a long randomised run of mixed operations through the use cases
 * (parent and child scans, undos, unlinks, parent completes/reopens, bill links, removals,
 * completes, reopens, edits, deletes — several workers at once on PostgreSQL) the recount finds
 * no difference; a counter corrupted behind the application's back IS reported (exit 1), and
 * `--fix` repairs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { usingPostgres } from '../helpers/database.js';
import { useTestApp } from '../helpers/setup.js';
import { makeUser } from '../helpers/factories.js';
import type { Actor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/errors.js';
import { scanChild } from '../../src/domain/scans/child-scan.service.js';
import { scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { undoLink } from '../../src/domain/scans/undo.service.js';
import { completeParent, reopenParent } from '../../src/domain/bags/bags.service.js';
import { completeBill, createBill, deleteBill, editBill, reopenBill } from '../../src/domain/bills/bills.service.js';
import { linkParent, removeParent } from '../../src/domain/bills/bill-links.service.js';
import { runChecks } from '../../src/domain/check/check.service.js';
import { checkCommand } from '../../src/commands/check.command.js';

const OPS = usingPostgres ? 6000 : 3000;
const WORKERS = usingPostgres ? 6 : 1;
const SEED = Number(process.env.CHECK_SEED ?? Date.now() % 1_000_000);

const t = useTestApp({ perFile: true });

/** mulberry32: a small seeded generator, so a failing run can be replayed with CHECK_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How often (in one worker's operations) the run looks at how many children sit on bills. */
const CHECKPOINT_EVERY = 100;

const PARENTS = [
  ...Array.from({ length: 24 }, (_, i) => `SB${String(i + 1).padStart(5, '0')}`),
  ...Array.from({ length: 12 }, (_, i) => `M444-${String(i + 1).padStart(5, '0')}`),
];
const BILLS = Array.from({ length: 8 }, (_, i) => `CHK-${i + 1}`);
const CHILDREN = Array.from({ length: 500 }, (_, i) => `K${String(i + 1).padStart(6, '0')}`);
/** Parent → bill, as far as this run's successful links, removals and deletes say (a hint, not the truth). */
const onBill = new Map<string, string>();

async function randomRun(
  actors: Record<'admin' | 'biller' | 'dispatcher', Actor>,
  rnd: () => number,
  ops: number,
  tally: Map<string, number>,
  checkpoint?: () => Promise<void>,
) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ctx = t.app.ctx;
  for (let i = 0; i < ops; i++) {
    const who = pick([actors.admin, actors.biller, actors.biller, actors.dispatcher]);
    const office = who.role === 'dispatcher' ? actors.biller : who;
    const r = rnd();
    const [name, run]: [string, () => Promise<unknown>] =
      r < 0.06
        ? ['scanParent', () => scanParent(ctx, who, { code: pick(PARENTS) })]
        : r < 0.5
          ? ['scanChild', () => scanChild(ctx, who, { parentCode: pick(PARENTS), code: pick(CHILDREN) })]
          : r < 0.58
            ? ['undo', () => undoLink(ctx, who, { parentCode: pick(PARENTS) })]
            : r < 0.62
              ? ['unlink', () => undoLink(ctx, office, { parentCode: pick(PARENTS), code: pick(CHILDREN) })]
              : r < 0.64
                ? ['completeParent', () => completeParent(ctx, who, pick(PARENTS))]
                : r < 0.66
                  ? ['reopenParent', () => reopenParent(ctx, office, pick(PARENTS))]
                  : r < 0.69
                    ? ['createBill', () => createBill(ctx, office, { billId: pick(BILLS), capacity: 2 + Math.floor(rnd() * 8) })]
                    : r < 0.82
                      ? [
                          'link',
                          async () => {
                            const code = pick(PARENTS);
                            onBill.set(code, (await linkParent(ctx, office, pick(BILLS), { code })).bill.billId);
                          },
                        ]
                      : r < 0.88
                        ? [
                            'remove',
                            async () => {
                              // Mostly a parent this run put on a bill, or removals would almost never find one.
                              const known = [...onBill];
                              const [code, bill] = known.length > 0 && rnd() < 0.8 ? pick(known) : [pick(PARENTS), pick(BILLS)];
                              await removeParent(ctx, office, bill, code);
                              onBill.delete(code);
                            },
                          ]
                        : r < 0.92
                          ? [
                              'completeBill',
                              () =>
                                completeBill(ctx, rnd() < 0.5 ? actors.admin : office, pick(BILLS), rnd() < 0.5 ? 'short run' : undefined),
                            ]
                          : r < 0.96
                            ? ['reopenBill', () => reopenBill(ctx, office, pick(BILLS))]
                            : r < 0.99
                              ? ['editBill', () => editBill(ctx, office, pick(BILLS), { capacity: 1 + Math.floor(rnd() * 10) })]
                              : [
                                  'deleteBill',
                                  async () => {
                                    const bill = pick(BILLS);
                                    await deleteBill(ctx, actors.admin, bill);
                                    for (const [code, on] of onBill) if (on === bill) onBill.delete(code);
                                  },
                                ];
    try {
      await run();
      tally.set(`${name}:ok`, (tally.get(`${name}:ok`) ?? 0) + 1);
    } catch (err) {
      if (!isDomainError(err)) throw new Error(`op ${i} ${name} (seed ${SEED}) failed: ${(err as Error).message}`, { cause: err });
      tally.set(`${name}:${err.code}`, (tally.get(`${name}:${err.code}`) ?? 0) + 1);
    }
    if (checkpoint && i % CHECKPOINT_EVERY === CHECKPOINT_EVERY - 1) await checkpoint();
  }
}

test(`a randomised run of ${OPS} mixed operations leaves no counter differing from a recount (seed ${SEED})`, async (tc) => {
  const user = async (role: 'admin' | 'biller' | 'dispatcher'): Promise<Actor> => {
    const u = await makeUser(t.app, { role });
    return { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
  };
  const actors = { admin: await user('admin'), biller: await user('biller'), dispatcher: await user('dispatcher') };
  const tally = new Map<string, number>();
  // Children on bills, counted along the way: the run's end state may have none (seed 721283
  // deleted or emptied every billed parent by its end), yet the counters went through them.
  const billedChildren = async () => {
    const r = await sql<{
      n: string;
    }>`select count(*) as n from bags c join bags p on p.id = c.parent_id where p.bill_id is not null`.execute(t.app.ctx.db);
    return Number(r.rows[0]!.n);
  };
  let mostBilled = 0;
  const checkpoint = async () => {
    mostBilled = Math.max(mostBilled, await billedChildren());
  };
  await Promise.all(
    Array.from({ length: WORKERS }, (_, w) => randomRun(actors, random(SEED + w), OPS / WORKERS, tally, w === 0 ? checkpoint : undefined)),
  );

  tc.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`);
  const ok = (name: string) => tally.get(`${name}:ok`) ?? 0;
  // The run must really have exercised the interesting paths, or "no difference" proves little.
  for (const name of ['scanChild', 'undo', 'link', 'remove', 'completeBill', 'reopenBill'])
    assert.ok(ok(name) > 5, `${name} succeeded ${ok(name)} times`);
  assert.ok((tally.get('scanChild:bill_completed') ?? 0) > 0, 'some child scans met a completed bill');
  await checkpoint();
  assert.ok(mostBilled > 0, 'some children were on bills during the run');

  const results = await runChecks(t.app.ctx);
  // Every check runs (a feature may append its own to CHECKS) and none finds a difference.
  assert.deepEqual(
    results.slice(0, 3).map((r) => r.check),
    ['parent-child-count', 'bill-counters', 'dashboard-counters'],
  );
  assert.deepEqual(
    results.map((r) => [r.check, r.differences]),
    results.map((r) => [r.check, []]),
  );
  const lines: string[] = [];
  assert.equal(await checkCommand(t.app.ctx, [], (l) => lines.push(l)), 0);
  assert.match(lines.at(-1)!, /All counters agree/);
});

test('a corrupted counter is reported with exit code 1; --fix repairs it and the next check is clean', async () => {
  const parent = await sql<{ code: string }>`select code from bags where type = 'parent' and child_count > 0 order by code limit 1`.execute(
    t.app.ctx.db,
  );
  const bill = await sql<{ bill_id: string }>`select bill_id from bills order by bill_id limit 1`.execute(t.app.ctx.db);
  const p = parent.rows[0]!.code;
  const b =
    bill.rows[0]?.bill_id ??
    (await createBill(t.app.ctx, { userId: '1', username: 'x', role: 'admin', areaId: null }, { billId: 'CHK-X', capacity: 3 })).billId;
  await sql`update bags set child_count = child_count - 1 where code = ${p}`.execute(t.app.ctx.db);
  await sql`update bills set actual_weight_kg = actual_weight_kg + 7, expected_weight_kg = expected_weight_kg + 1 where bill_id = ${b}`.execute(
    t.app.ctx.db,
  );

  const lines: string[] = [];
  assert.equal(await checkCommand(t.app.ctx, [], (l) => lines.push(l)), 1);
  const diffs = lines.filter((l) => l.startsWith('DIFF'));
  assert.equal(diffs.length, 3, lines.join('\n'));
  assert.ok(
    diffs.some((l) => l.startsWith(`DIFF parent-child-count ${p} childCount`)),
    lines.join('\n'),
  );
  assert.ok(diffs.some((l) => l.startsWith(`DIFF bill-counters ${b} actualWeightKg`)));
  assert.ok(diffs.some((l) => l.startsWith(`DIFF bill-counters ${b} expectedWeightKg`)));

  const fixing: string[] = [];
  assert.equal(await checkCommand(t.app.ctx, ['--fix'], (l) => fixing.push(l)), 1, 'differences found (and fixed) still exit 1');
  assert.match(fixing.join('\n'), /fixed/);
  const after: string[] = [];
  assert.equal(await checkCommand(t.app.ctx, [], (l) => after.push(l)), 0, after.join('\n'));
});
