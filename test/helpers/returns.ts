/** Return ticket helpers for API tests: calls of the returns API and a ticket's stored counters. */
import { sql } from 'kysely';
import type { App } from '../../src/app.js';
import type { Client } from './http.js';
import { createBill, enc, linkParent, parentWith } from './bills.js';

export const createTicket = (c: Client, area = 'jaipur', notes?: string) =>
  c.post('/api/returns', { area, ...(notes !== undefined ? { notes } : {}) });

/** A new ticket's code (fails the test if it could not be created). */
export async function newTicket(c: Client, area = 'jaipur'): Promise<string> {
  const res = await createTicket(c, area);
  if (res.statusCode !== 201) throw new Error(`ticket: ${res.statusCode} ${res.body}`);
  return res.json().ticket.code;
}

export const returnBag = (c: Client, ticket: string, code: string, extra: Record<string, unknown> = {}) =>
  c.post(`/api/returns/${enc(ticket)}/bags`, { code, ...extra });
export const removeBag = (c: Client, ticket: string, code: string) => c.delete(`/api/returns/${enc(ticket)}/bags/${enc(code)}`);
export const commitTicket = (c: Client, ticket: string) => c.post(`/api/returns/${enc(ticket)}/commit`, {});
export const cancelTicket = (c: Client, ticket: string) => c.post(`/api/returns/${enc(ticket)}/cancel`, {});
export const getTicket = (c: Client, ticket: string) => c.get(`/api/returns/${enc(ticket)}`);

/** A bill of `capacity` holding the given parents, each with n children (prefix per parent). */
export async function billWith(
  c: Client,
  billId: string,
  capacity: number,
  parents: Array<[code: string, children: number]>,
): Promise<void> {
  const res = await createBill(c, billId, capacity);
  if (res.statusCode !== 201) throw new Error(`bill ${billId}: ${res.body}`);
  for (const [i, [code, n]] of parents.entries()) {
    await parentWith(c, code, n, `${billId.replace(/[^A-Z0-9]/g, '').slice(-3)}${i}`);
    const l = await linkParent(c, billId, code);
    if (l.statusCode !== 200) throw new Error(`link ${code}: ${l.body}`);
  }
}

/** A ticket's stored counters and a recount from the bags on it. */
export async function ticketState(app: App, code: string) {
  const r = await sql<{ bag_count: number; child_count: number; weight_kg: number; bags: string; children: string; kg: string }>`
    select t.bag_count, t.child_count, t.weight_kg,
      (select count(*) from return_ticket_bags rb where rb.ticket_id = t.id and rb.state in ('open', 'committed')) as bags,
      (select coalesce(sum(child_count), 0) from return_ticket_bags rb where rb.ticket_id = t.id and rb.state in ('open', 'committed')) as children,
      (select coalesce(sum(weight_kg), 0) from return_ticket_bags rb where rb.ticket_id = t.id and rb.state in ('open', 'committed')) as kg
    from return_tickets t where t.code = ${code}`.execute(app.ctx.db);
  const x = r.rows[0]!;
  return {
    stored: { bagCount: x.bag_count, childCount: x.child_count, weightKg: x.weight_kg },
    recount: { bagCount: Number(x.bags), childCount: Number(x.children), weightKg: Number(x.kg) },
  };
}
