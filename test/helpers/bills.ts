/** Bill helpers for API tests: calls of the bill API and a recount of a bill straight from the links. */
import { sql } from 'kysely';
import type { App } from '../../src/app.js';
import type { Client } from './http.js';
import { fill, scanParent } from './scans.js';

export const enc = encodeURIComponent;

export const createBill = (c: Client, billId: string, capacity = 5, extra: Record<string, unknown> = {}) =>
  c.post('/api/bills', { billId, capacity, ...extra });

export const linkParent = (c: Client, billId: string, code: string, extra: Record<string, unknown> = {}) =>
  c.post(`/api/bills/${enc(billId)}/parents`, { code, ...extra });

export const removeParent = (c: Client, billId: string, code: string) => c.delete(`/api/bills/${enc(billId)}/parents/${enc(code)}`);

export const getBill = (c: Client, billId: string, query = '') => c.get(`/api/bills/${enc(billId)}${query}`);

/** A new parent with n children (child codes `${prefix}0000001`…), ready to go on a bill. */
export async function parentWith(c: Client, code: string, n: number, prefix: string): Promise<void> {
  const res = await scanParent(c, code);
  if (res.statusCode !== 200) throw new Error(`parent ${code}: ${res.body}`);
  if (n > 0) await fill(c, code, n, prefix);
}

export interface BillState {
  status: string;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
}

/** The stored counters of a bill and a recount from its links (1 kg a child, the kind's weight a parent). */
export async function billState(app: App, billId: string): Promise<{ stored: BillState; recount: Omit<BillState, 'status'> }> {
  const r = await sql<{
    status: string;
    parent_count: number;
    child_count: number;
    actual_weight_kg: number;
    expected_weight_kg: number;
    id: string;
  }>`
    select id, status, parent_count, child_count, actual_weight_kg, expected_weight_kg from bills where bill_id = ${billId}`.execute(
    app.ctx.db,
  );
  const b = r.rows[0];
  if (!b) throw new Error(`no bill ${billId}`);
  const rc = await sql<{ parents: string; children: string; expected: string }>`
    select (select count(*) from bags where bill_id = ${b.id}) as parents,
           (select count(*) from bags c join bags p on p.id = c.parent_id where p.bill_id = ${b.id}) as children,
           (select coalesce(sum(k.expected_weight_kg), 0) from bags p join bag_kinds k on k.id = p.kind_id where p.bill_id = ${b.id}) as expected`.execute(
    app.ctx.db,
  );
  const x = rc.rows[0]!;
  return {
    stored: {
      status: b.status,
      parentCount: b.parent_count,
      childCount: b.child_count,
      actualWeightKg: b.actual_weight_kg,
      expectedWeightKg: b.expected_weight_kg,
    },
    recount: {
      parentCount: Number(x.parents),
      childCount: Number(x.children),
      actualWeightKg: Number(x.children),
      expectedWeightKg: Number(x.expected),
    },
  };
}

/** History rows of bill actions, oldest first. */
export async function billEvents(app: App) {
  return app.ctx.db
    .selectFrom('events')
    .select(['action', 'outcome', 'subject', 'related', 'details'])
    .where('action', 'like', 'bill.%')
    .orderBy('id')
    .execute();
}
