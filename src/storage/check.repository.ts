/**
 * Counter recounts for `tracetrack check`: each is ONE set-based statement, so it reads one
 * snapshot in which every counter and every link are consistent (they always change in the same
 * transaction) — a live warehouse never shows a false difference. Fixes lock the rows first and
 * recount in a later statement, whose fresh snapshot then sees every change committed before
 * the locks were granted; no one can change those counters until the fix commits.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from './database.js';

export interface CounterDifference {
  /** The bag code or bill id. */
  subject: string;
  field: string;
  stored: number | string;
  recounted: number | string;
}

/** Kilograms a child counts for: the first child kind's weight (domain/bills/bill.ts childUnitKg). */
const UNIT = sql`(select coalesce((select k.expected_weight_kg from bag_kinds k where k.type = 'child' order by k.position, k.id limit 1), 1))`;

/** Parents whose child_count differs from the number of children pointing at them. */
export async function parentCountDifferences(ex: Executor): Promise<CounterDifference[]> {
  const r = await sql<{ code: string; stored: number; recounted: string }>`
    select p.code, p.child_count as stored, coalesce(c.n, 0) as recounted
    from bags p
    left join (select parent_id, count(*) as n from bags where parent_id is not null group by parent_id) c on c.parent_id = p.id
    where p.type = 'parent' and p.child_count <> coalesce(c.n, 0)
    order by p.code`.execute(ex);
  return r.rows.map((row) => ({ subject: row.code, field: 'childCount', stored: row.stored, recounted: Number(row.recounted) }));
}

export async function fixParentCounts(tx: Tx, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.selectFrom('bags').select('id').where('code', 'in', codes).orderBy('id').forUpdate().execute();
  await sql`update bags p set child_count = (select count(*) from bags c where c.parent_id = p.id), updated_at = now()
    where p.code in (${sql.join(codes)}) and p.type = 'parent'`.execute(tx);
}

interface BillRecount {
  bill_id: string;
  status: string;
  parent_count: number;
  child_count: number;
  actual_weight_kg: number;
  expected_weight_kg: number;
  r_parents: string;
  r_children: string;
  r_actual: string;
  r_expected: string;
}

/** Every bill's four counters (and new/processing status) next to a recount from its links. */
const billRecount = sql<BillRecount>`
  with ps as (
    select p.bill_id, count(*) as parents, sum(coalesce(k.expected_weight_kg, p.capacity * ${UNIT})) as expected
    from bags p left join bag_kinds k on k.id = p.kind_id
    where p.bill_id is not null group by p.bill_id),
  cs as (
    select p.bill_id, count(*) as children
    from bags c join bags p on p.id = c.parent_id
    where p.bill_id is not null group by p.bill_id)
  select b.bill_id, b.status, b.parent_count, b.child_count, b.actual_weight_kg, b.expected_weight_kg,
         coalesce(ps.parents, 0) as r_parents, coalesce(cs.children, 0) as r_children,
         coalesce(cs.children, 0) * ${UNIT} as r_actual, coalesce(ps.expected, 0) as r_expected
  from bills b left join ps on ps.bill_id = b.id left join cs on cs.bill_id = b.id`;

export async function billCounterDifferences(ex: Executor): Promise<CounterDifference[]> {
  const r = await sql<BillRecount>`select * from (${billRecount}) x order by x.bill_id`.execute(ex);
  const out: CounterDifference[] = [];
  for (const row of r.rows) {
    const pairs: Array<[string, number, number]> = [
      ['parentCount', row.parent_count, Number(row.r_parents)],
      ['childCount', row.child_count, Number(row.r_children)],
      ['actualWeightKg', row.actual_weight_kg, Number(row.r_actual)],
      ['expectedWeightKg', row.expected_weight_kg, Number(row.r_expected)],
    ];
    for (const [field, stored, recounted] of pairs) if (stored !== recounted) out.push({ subject: row.bill_id, field, stored, recounted });
    const status = row.status === 'completed' ? 'completed' : Number(row.r_parents) === 0 ? 'new' : 'processing';
    if (status !== row.status) out.push({ subject: row.bill_id, field: 'status', stored: row.status, recounted: status });
  }
  return out;
}

/** Locks the bills (id order; no parent is held, so no path can wait on us in a cycle), then recounts. */
export async function fixBillCounters(tx: Tx, billIds: string[]): Promise<void> {
  if (billIds.length === 0) return;
  await tx.selectFrom('bills').select('id').where('bill_id', 'in', billIds).orderBy('id').forNoKeyUpdate().execute();
  await sql`
    update bills b set parent_count = x.r_parents::int, child_count = x.r_children::int,
      actual_weight_kg = x.r_actual::int, expected_weight_kg = x.r_expected::int,
      status = case when b.status = 'completed' then b.status when x.r_parents::int = 0 then 'new' else 'processing' end,
      updated_at = now()
    from (${billRecount}) x
    where x.bill_id = b.bill_id and b.bill_id in (${sql.join(billIds)})`.execute(tx);
}
