/**
 * Return ticket use cases (SPEC §11) other than moving bags (return-bags.service.ts): create,
 * list, detail, commit, cancel. Each change is one recorded attempt (scans/attempt.ts) with the
 * ticket code as subject. Cancelling puts every bag back, so it locks like deleting a bill
 * (ADR 0012, 0018): the ticket's parents in id order, then their bills in id order, then the
 * ticket; if a bag joined the ticket in between, it rolls back and runs again.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { HistoryEvent } from '../audit/event.js';
import { cleanText, type BillRecord } from '../bills/bill.js';
import { DomainError } from '../errors.js';
import { runAttempt, type AttemptNote } from '../attempt.js';
import { findArea } from '../../storage/areas.repository.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { findBagByCode } from '../../storage/bags.repository.js';
import { findBill } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import { endTicketBag, listTicketBags, lockBagsById, lockBillsById, openBagsOfTicket } from '../../storage/return-bags.repository.js';
import * as repo from '../../storage/returns.repository.js';
import { putBack } from './put-back.js';
import {
  assertTicketOpen,
  MAX_NOTES,
  newTicketCode,
  tryTicketCode,
  type TicketBag,
  type TicketRecord,
  type TicketStatus,
} from './ticket.js';

export interface CreateTicketInput {
  area: string;
  notes?: string | null | undefined;
}

/** A new open ticket; the code's date is today in the display time zone. */
export function createTicket(ctx: Ctx, actor: Actor, input: CreateTicketInput, timeZone: string): Promise<TicketRecord> {
  return runAttempt(ctx, actor, { action: 'return.create' }, async (tx, note, now) => {
    note.details = { area: input.area.slice(0, 64) };
    const area = await findArea(tx, input.area);
    if (!area?.active) throw new DomainError('validation_failed', `No active area ${input.area.slice(0, 64)}`);
    note.areaId = area.id;
    const notes = cleanText(input.notes, MAX_NOTES, 'The notes');
    for (let i = 0; i < 8; i++) {
      const ticket = await repo.insertTicket(
        tx,
        { code: newTicketCode(now, timeZone), areaId: area.id, notes, createdBy: actor.userId },
        now,
      );
      if (ticket) {
        note.subject = ticket.code;
        return { outcome: 'created', value: ticket };
      }
    }
    throw new Error('no free ticket code after 8 draws');
  });
}

export async function listTickets(
  ctx: Ctx,
  input: { status?: TicketStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
) {
  const limit = input.limit ?? 50;
  const rows = await repo.listTickets(ctx.db, { status: input.status, beforeId: input.cursor, limit: limit + 1 });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

export interface TicketDetail {
  ticket: TicketRecord;
  bags: TicketBag[];
  history: HistoryEvent[];
}

export async function getTicket(ctx: Ctx, raw: string): Promise<TicketDetail> {
  const code = tryTicketCode(raw);
  const ticket = code === undefined ? undefined : await repo.findTicket(ctx.db, code);
  if (!ticket) throw new DomainError('ticket_not_found', `No ticket ${code ?? raw.slice(0, 64)}`);
  const [bags, history] = await Promise.all([listTicketBags(ctx.db, ticket.id), repo.ticketHistory(ctx.db, ticket.code, 200)]);
  return { ticket, bags, history };
}

async function lockNamed(tx: Tx, raw: string, note: AttemptNote): Promise<TicketRecord> {
  const code = tryTicketCode(raw);
  note.subject = code ?? raw.slice(0, 64);
  const ticket = code === undefined ? undefined : await repo.lockTicket(tx, code);
  if (!ticket) throw new DomainError('ticket_not_found', `No ticket ${note.subject}`);
  note.areaId = ticket.area;
  return ticket;
}

/** Commits an open ticket with at least one bag: its bags stay off their bills for good. */
export function commitTicket(ctx: Ctx, actor: Actor, raw: string): Promise<TicketRecord> {
  return runAttempt(ctx, actor, { action: 'return.commit' }, async (tx, note, now) => {
    const ticket = await lockNamed(tx, raw, note);
    assertTicketOpen(ticket);
    if (ticket.bagCount === 0) throw new DomainError('ticket_empty', `Ticket ${ticket.code} has no bags: scan at least one, or cancel it`);
    const after = await repo.closeTicket(tx, ticket.id, 'committed', now);
    note.details = { bagCount: after.bagCount, childCount: after.childCount, weightKg: after.weightKg };
    return { outcome: 'committed', value: after };
  });
}

/** Cancels an open ticket: every bag goes back onto its bill if that bill can take it. */
export function cancelTicket(ctx: Ctx, actor: Actor, raw: string): Promise<TicketRecord> {
  return runAttempt(ctx, actor, { action: 'return.cancel' }, (tx, note, now) => cancelOnce(tx, actor, raw, note, now));
}

async function cancelOnce(tx: Tx, actor: Actor, raw: string, note: AttemptNote, now: Date) {
  const code = tryTicketCode(raw);
  // With the gate held no bag joins or leaves the ticket, so the parents read here are all of
  // them when they are locked, before the ticket row (lock order of ADR 0018).
  if (code !== undefined) await repo.gateTicket(tx, code, 'exclusive');
  const seen = code === undefined ? undefined : await repo.findTicket(tx, code);
  const rows = seen ? await openBagsOfTicket(tx, seen.id) : [];
  await lockBagsById(
    tx,
    rows.map((r) => r.bagId),
  );
  await lockBillsById(tx, [...new Set(rows.flatMap((r) => (r.billRowId ? [r.billRowId] : [])))]);
  const ticket = await lockNamed(tx, raw, note);
  assertTicketOpen(ticket);
  const kinds = await listBagKinds(tx);
  const bills = new Map<string, BillRecord | undefined>();
  const outcomes: Array<{ code: string; billId: string; putBack: string; reason?: string }> = [];
  for (const row of rows) {
    const parent = await findBagByCode(tx, row.code);
    if (!parent) throw new Error(`locked parent ${row.code} is gone`);
    if (row.billRowId && !bills.has(row.billRowId)) {
      const b = await findBill(tx, row.billId);
      bills.set(row.billRowId, b?.id === row.billRowId ? b : undefined);
    }
    const bill = row.billRowId ? bills.get(row.billRowId) : undefined;
    const back = await putBack(tx, parent, row.billId, bill, actor.userId, kinds, now);
    if (back.after && row.billRowId) bills.set(row.billRowId, back.after);
    await endTicketBag(tx, row.rowId, 'cancelled', back.outcome, now);
    outcomes.push({ code: row.code, billId: row.billId, putBack: back.outcome, ...(back.reason ? { reason: back.reason } : {}) });
  }
  const emptied = await repo.adjustTicket(tx, ticket.id, { bags: -ticket.bagCount, children: -ticket.childCount, kg: -ticket.weightKg });
  const after = await repo.closeTicket(tx, emptied.id, 'cancelled', now);
  note.details = {
    bags: outcomes,
    backOnBill: outcomes.filter((o) => o.putBack === 'back_on_bill').length,
    leftUnbilled: outcomes.filter((o) => o.putBack !== 'back_on_bill').length,
  };
  return { outcome: 'cancelled', value: after };
}
