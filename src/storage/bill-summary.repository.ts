/**
 * Bill summary for a range of days (SPEC §12): the bills created in [from, to) with their
 * figures, and totals over all of them. Reads bills_created_at_idx or bills_created_by_idx.
 */
import { sql } from 'kysely';
import type { Executor } from './database.js';

export interface BillSummaryFilter {
  from: Date;
  to: Date;
  /** Creator's user id, or null for every creator. */
  creatorId: string | null;
  limit: number;
}

export interface BillSummaryRow {
  billId: string;
  status: string;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
  createdBy: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface BillTotals {
  bills: number;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
  byStatus: { new: number; processing: number; completed: number };
}

export async function billSummary(ex: Executor, f: BillSummaryFilter): Promise<{ items: BillSummaryRow[]; totals: BillTotals }> {
  const where = sql`b.created_at >= ${f.from} and b.created_at < ${f.to} ${f.creatorId === null ? sql`` : sql`and b.created_by = ${f.creatorId}`}`;
  const items = await sql<{
    bill_id: string;
    status: string;
    parent_count: number;
    child_count: number;
    actual_weight_kg: number;
    expected_weight_kg: number;
    username: string | null;
    created_at: Date;
    completed_at: Date | null;
  }>`
    select b.bill_id, b.status, b.parent_count, b.child_count, b.actual_weight_kg, b.expected_weight_kg, u.username, b.created_at, b.completed_at
    from bills b left join users u on u.id = b.created_by
    where ${where} order by b.created_at, b.id limit ${f.limit}`.execute(ex);
  const totals = await sql<{ bills: string; p: string; c: string; a: string; e: string; n: string; pr: string; co: string }>`
    select count(*) as bills, coalesce(sum(b.parent_count), 0) as p, coalesce(sum(b.child_count), 0) as c,
           coalesce(sum(b.actual_weight_kg), 0) as a, coalesce(sum(b.expected_weight_kg), 0) as e,
           count(*) filter (where b.status = 'new') as n, count(*) filter (where b.status = 'processing') as pr,
           count(*) filter (where b.status = 'completed') as co
    from bills b where ${where}`.execute(ex);
  const t = totals.rows[0]!;
  return {
    items: items.rows.map((r) => ({
      billId: r.bill_id,
      status: r.status,
      parentCount: r.parent_count,
      childCount: r.child_count,
      actualWeightKg: r.actual_weight_kg,
      expectedWeightKg: r.expected_weight_kg,
      createdBy: r.username,
      createdAt: new Date(r.created_at),
      completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    })),
    totals: {
      bills: Number(t.bills),
      parentCount: Number(t.p),
      childCount: Number(t.c),
      actualWeightKg: Number(t.a),
      expectedWeightKg: Number(t.e),
      byStatus: { new: Number(t.n), processing: Number(t.pr), completed: Number(t.co) },
    },
  };
}

/** Local midnight of a YYYY-MM-DD day in a time zone, as an instant. */
export async function localMidnight(ex: Executor, day: string, tz: string): Promise<Date> {
  const r = await sql<{ t: Date }>`select (${day}::date)::timestamp at time zone ${tz} as t`.execute(ex);
  return new Date(r.rows[0]!.t);
}

export async function userIdByName(ex: Executor, username: string): Promise<string | undefined> {
  const r = await sql<{ id: string }>`select id from users where lower(username) = lower(${username})`.execute(ex);
  return r.rows[0] ? String(r.rows[0].id) : undefined;
}
