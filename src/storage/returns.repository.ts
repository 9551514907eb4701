/**
 * Return tickets table access (SPEC §11). Ticket counters move only by deltas in the transaction
 * that changes a ticket's bags; functions that lock take a Tx. Lock order: the ticket's gate,
 * then parent, then bill, then the ticket row (docs/decisions/0018-returns.md) — the row is
 * always locked last.
 */
import { sql, type Selectable } from 'kysely';
import type { HistoryEvent } from '../domain/audit/event.js';
import type { TicketRecord, TicketStatus } from '../domain/returns/ticket.js';
import type { Executor, Tx } from './database.js';
import { toEvent } from './events.repository.js';
import type { ReturnTicketsTable } from './tables.js';

type Row = Selectable<ReturnTicketsTable> & { created_by_name: string | null };

const toTicket = (r: Row): TicketRecord => ({
  id: String(r.id),
  code: r.code,
  status: r.status as TicketStatus,
  area: r.area_id,
  notes: r.notes,
  bagCount: r.bag_count,
  childCount: r.child_count,
  weightKg: r.weight_kg,
  createdBy: r.created_by_name,
  createdAt: r.created_at,
  closedAt: r.closed_at,
});

const creator = (table: 't' | 'return_tickets') =>
  sql<string | null>`(select u.username from users u where u.id = ${sql.ref(`${table}.created_by`)})`.as('created_by_name');
const RETURN_CREATOR = creator('return_tickets');
const selectTicket = (ex: Executor) => ex.selectFrom('return_tickets as t').selectAll('t').select(creator('t'));

export async function findTicket(ex: Executor, code: string): Promise<TicketRecord | undefined> {
  const row = await selectTicket(ex).where('t.code', '=', code).executeTakeFirst();
  return row && toTicket(row);
}

/** Advisory lock namespace of the ticket gates ('RT'). */
const TICKET_GATE = 0x5254;

/**
 * The ticket's gate, held until commit and taken before any row lock: shared by the paths that
 * add or remove one bag (they still run side by side), exclusive for a cancel, which must lock
 * every parent on the ticket before the ticket row and so needs its bags to stay put meanwhile.
 * A code that names no ticket gates nothing that matters (the caller refuses it anyway).
 */
export async function gateTicket(tx: Tx, code: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? sql.raw('pg_advisory_xact_lock_shared') : sql.raw('pg_advisory_xact_lock');
  await sql`select ${fn}(${TICKET_GATE}, hashtext(${code}))`.execute(tx);
}

/** Locks the ticket row until commit (always the last lock a returns path takes). */
export async function lockTicket(tx: Tx, code: string): Promise<TicketRecord | undefined> {
  const row = await selectTicket(tx).where('t.code', '=', code).forNoKeyUpdate('t').executeTakeFirst();
  return row && toTicket(row);
}

/** Undefined when the code is taken (the caller draws another). */
export async function insertTicket(
  tx: Tx,
  t: { code: string; areaId: string; notes: string | null; createdBy: string },
  now: Date,
): Promise<TicketRecord | undefined> {
  const row = await tx
    .insertInto('return_tickets')
    .values({ code: t.code, area_id: t.areaId, notes: t.notes, created_by: t.createdBy, created_at: now })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .returning(RETURN_CREATOR)
    .executeTakeFirst();
  return row && toTicket(row);
}

export interface TicketDelta {
  bags: number;
  children: number;
  kg: number;
}

export async function adjustTicket(tx: Tx, id: string, d: TicketDelta): Promise<TicketRecord> {
  const row = await tx
    .updateTable('return_tickets')
    .set({
      bag_count: sql<number>`bag_count + ${d.bags}::int`,
      child_count: sql<number>`child_count + ${d.children}::int`,
      weight_kg: sql<number>`weight_kg + ${d.kg}::int`,
    })
    .where('id', '=', id)
    .returningAll()
    .returning(RETURN_CREATOR)
    .executeTakeFirstOrThrow();
  return toTicket(row);
}

/** Commits or cancels an open ticket: its open bag rows take the same state. */
export async function closeTicket(tx: Tx, id: string, status: 'committed' | 'cancelled', now: Date): Promise<TicketRecord> {
  if (status === 'committed') {
    await tx
      .updateTable('return_ticket_bags')
      .set({ state: 'committed' })
      .where('ticket_id', '=', id)
      .where('state', '=', 'open')
      .execute();
  }
  const row = await tx
    .updateTable('return_tickets')
    .set({ status, closed_at: now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returningAll()
    .returning(RETURN_CREATOR)
    .executeTakeFirstOrThrow();
  return toTicket(row);
}

export interface TicketFilter {
  status?: TicketStatus | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first, keyset-paged by id. */
export async function listTickets(ex: Executor, f: TicketFilter): Promise<TicketRecord[]> {
  let q = selectTicket(ex).orderBy('t.id', 'desc').limit(f.limit);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.beforeId) q = q.where('t.id', '<', f.beforeId);
  return (await q.execute()).map(toTicket);
}

/**
 * A ticket's history, newest first: its own rows (create, commit, cancel: subject = code) and its
 * bag rows (add, remove: subject = parent, related = bill, details.returnTicket = code).
 */
export async function ticketHistory(ex: Executor, code: string, limit: number): Promise<HistoryEvent[]> {
  const { rows } = await sql<Parameters<typeof toEvent>[0]>`
    select * from (
      (select * from events where subject = ${code} and action like 'return.%' order by id desc limit ${limit})
      union all
      (select * from events where details ->> 'returnTicket' = ${code} and action like 'return.%' and subject is distinct from ${code} order by id desc limit ${limit})
    ) e order by id desc limit ${limit}`.execute(ex);
  return rows.map(toEvent);
}
