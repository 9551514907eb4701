/**
 * The bags on return tickets (return_ticket_bags). A row is written when a parent joins a ticket
 * and ended (removed / cancelled, with where the bag went) when it leaves an open ticket; rows
 * are never deleted, so a ticket shows every bag it ever held. "One open ticket per parent" is
 * the partial unique index return_ticket_bags_one_open; the services also read it under the
 * parent's lock, which every change of a parent's ticket holds.
 */
import { sql } from 'kysely';
import type { BillFigures, PutBackOutcome, TicketBag } from '../domain/returns/ticket.js';
import type { Executor, Tx } from './database.js';

/** The code of the open ticket a parent is on (read under the parent's lock: final). */
export async function openTicketOf(tx: Tx, bagId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('return_ticket_bags as rb')
    .innerJoin('return_tickets as t', 't.id', 'rb.ticket_id')
    .select('t.code')
    .where('rb.bag_id', '=', bagId)
    .where('rb.state', '=', 'open')
    .executeTakeFirst();
  return row?.code;
}

export interface NewTicketBag {
  ticketId: string;
  bagId: string;
  billRowId: string;
  billId: string;
  childCount: number;
  weightKg: number;
  before: BillFigures;
  after: BillFigures;
  addedBy: string;
}

export async function insertTicketBag(tx: Tx, b: NewTicketBag, now: Date): Promise<void> {
  await tx
    .insertInto('return_ticket_bags')
    .values({
      ticket_id: b.ticketId,
      bag_id: b.bagId,
      original_bill_id: b.billRowId,
      original_bill_code: b.billId,
      child_count: b.childCount,
      weight_kg: b.weightKg,
      bill_before: JSON.stringify(b.before),
      bill_after: JSON.stringify(b.after),
      added_by: b.addedBy,
      added_at: now,
    })
    .execute();
}

/** An open bag row of a ticket, with the bag's row id and code. */
export interface OpenTicketBag {
  rowId: string;
  bagId: string;
  code: string;
  billRowId: string | null;
  billId: string;
  childCount: number;
  weightKg: number;
}

export async function openBagsOfTicket(ex: Executor, ticketId: string, bagId?: string): Promise<OpenTicketBag[]> {
  let q = ex
    .selectFrom('return_ticket_bags as rb')
    .innerJoin('bags as b', 'b.id', 'rb.bag_id')
    .select(['rb.id', 'rb.bag_id', 'b.code', 'rb.original_bill_id', 'rb.original_bill_code', 'rb.child_count', 'rb.weight_kg'])
    .where('rb.ticket_id', '=', ticketId)
    .where('rb.state', '=', 'open')
    .orderBy('rb.bag_id');
  if (bagId !== undefined) q = q.where('rb.bag_id', '=', bagId);
  const rows = await q.execute();
  return rows.map((r) => ({
    rowId: String(r.id),
    bagId: String(r.bag_id),
    code: r.code,
    billRowId: r.original_bill_id === null ? null : String(r.original_bill_id),
    billId: r.original_bill_code,
    childCount: r.child_count,
    weightKg: r.weight_kg,
  }));
}

/** The bag left an open ticket (removed, or the ticket was cancelled), and where it went. */
export async function endTicketBag(
  tx: Tx,
  rowId: string,
  state: 'removed' | 'cancelled',
  putBack: PutBackOutcome,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('return_ticket_bags')
    .set({ state, put_back: putBack, ended_at: now })
    .where('id', '=', rowId)
    .where('state', '=', 'open')
    .execute();
}

/** Every bag a ticket held, in the order they were returned. */
export async function listTicketBags(ex: Executor, ticketId: string): Promise<TicketBag[]> {
  const rows = await ex
    .selectFrom('return_ticket_bags as rb')
    .innerJoin('bags as b', 'b.id', 'rb.bag_id')
    .select([
      'b.code',
      'b.kind_id',
      'rb.state',
      'rb.original_bill_code',
      'rb.child_count',
      'rb.weight_kg',
      'rb.bill_before',
      'rb.bill_after',
      'rb.added_at',
      'rb.put_back',
      'rb.ended_at',
    ])
    .select(sql<string | null>`(select u.username from users u where u.id = rb.added_by)`.as('added_by_name'))
    .where('rb.ticket_id', '=', ticketId)
    .orderBy('rb.id')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind_id,
    state: r.state as TicketBag['state'],
    billId: r.original_bill_code,
    childCount: r.child_count,
    weightKg: r.weight_kg,
    billBefore: r.bill_before as BillFigures,
    billAfter: r.bill_after as BillFigures,
    addedBy: r.added_by_name,
    addedAt: r.added_at,
    putBack: r.put_back as PutBackOutcome | null,
    endedAt: r.ended_at,
  }));
}

/** Locks parents by row id, in id order (cancelling a ticket: parents before bills and the ticket). */
export async function lockBagsById(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.selectFrom('bags').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

/** Locks bills by row id, in id order (after the parents; the ticket comes last). */
export async function lockBillsById(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.selectFrom('bills').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
}
