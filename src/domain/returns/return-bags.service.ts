/**
 * Returning parents onto a ticket and taking them off again (SPEC §11). Each call is one recorded
 * attempt (scans/attempt.ts): one transaction, one history row accepted or refused (subject =
 * parent code, related = its bill, details.returnTicket = the ticket), and scanId idempotency for
 * returns, as for scans and bill links.
 *
 * Locks: the ticket's gate (shared: a cancel waits for these, and they for a cancel), the parent
 * (FOR UPDATE), then its bill (FOR NO KEY UPDATE), then the ticket row — the bill order of ADR
 * 0012 with the ticket last (ADR 0018). Under the parent lock the parent's bill and open ticket
 * are final: every change of either holds that lock.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { publicBag, reviveBag, type Bag, type BagRecord } from '../bags/bag.js';
import { childUnitKg, publicBill, reviveBill, type Bill, type BillRecord } from '../bills/bill.js';
import { tryNormaliseCode } from '../codes.js';
import { DomainError } from '../errors.js';
import { runAttempt, scannedCode } from '../attempt.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { lockBagByCode } from '../../storage/bags.repository.js';
import { lockBill } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import { endTicketBag, insertTicketBag, openBagsOfTicket, openTicketOf } from '../../storage/return-bags.repository.js';
import { adjustTicket, findTicket, gateTicket, lockTicket } from '../../storage/returns.repository.js';
import { putBack, takeOffBill } from './put-back.js';
import {
  assertTicketOpen,
  billFigures,
  decideAdd,
  publicTicket,
  reviveTicket,
  tryTicketCode,
  type PutBackOutcome,
  type PutBackReason,
  type Ticket,
} from './ticket.js';

export interface ReturnBagInput {
  code: string;
  scanId?: string | undefined;
}

export interface ReturnBagResult {
  outcome: 'returned' | 'already_returned';
  ticket: Ticket;
  bag: Bag;
  /** The bill the parent left, after it left (null for already_returned). */
  bill: Bill | null;
}

const reviveReturn = (j: unknown): ReturnBagResult => {
  const r = j as ReturnBagResult;
  return { outcome: r.outcome, ticket: reviveTicket(r.ticket), bag: reviveBag(r.bag), bill: r.bill === null ? null : reviveBill(r.bill) };
};

/** The ticket named in a path, as stored, or the raw text (cut) for the history row. */
const ticketName = (raw: string) => tryTicketCode(raw) ?? raw.slice(0, 64);

/** The named ticket's gate, shared: taken before any row lock (returns.repository.ts). */
async function gateNamedTicket(tx: Tx, raw: string) {
  const code = tryTicketCode(raw);
  if (code !== undefined) await gateTicket(tx, code, 'shared');
}

async function lockNamedTicket(tx: Tx, raw: string) {
  const code = tryTicketCode(raw);
  return code === undefined ? undefined : lockTicket(tx, code);
}

/** Returns a parent that is on a bill (any status): it leaves the bill and joins the ticket. */
export function returnBag(ctx: Ctx, actor: Actor, rawTicket: string, input: ReturnBagInput): Promise<ReturnBagResult> {
  return runAttempt(ctx, actor, { action: 'return.add', scanId: input.scanId, revive: reviveReturn }, async (tx, note, now) => {
    note.details = { returnTicket: ticketName(rawTicket) };
    const code = scannedCode(input.code, note);
    await gateNamedTicket(tx, rawTicket);
    const parent = await lockBagByCode(tx, code, { lockBill: false });
    let bill: BillRecord | undefined;
    if (parent) {
      note.areaId = parent.area;
      note.related = parent.billId;
      if (parent.billId !== null) bill = await lockBill(tx, parent.billId);
    }
    const openTicket = parent?.type === 'parent' ? await openTicketOf(tx, parent.id) : undefined;
    const ticket = await lockNamedTicket(tx, rawTicket);
    const d = decideAdd({ code, ticket, ticketCode: ticketName(rawTicket), parent, openTicket });
    if (d.action === 'already_returned') {
      return {
        outcome: 'already_returned',
        value: { outcome: 'already_returned', ticket: publicTicket(d.ticket), bag: publicBag(d.parent), bill: null },
      };
    }
    if (!bill) throw new Error(`bill ${parent!.billId} of locked parent ${code} is gone`);
    const kinds = await listBagKinds(tx);
    const { after, reopened } = await takeOffBill(tx, d.parent, bill, kinds, now);
    const weightKg = d.parent.childCount * childUnitKg(kinds);
    const before = billFigures(bill);
    await insertTicketBag(
      tx,
      {
        ticketId: d.ticket.id,
        bagId: d.parent.id,
        billRowId: bill.id,
        billId: bill.billId,
        childCount: d.parent.childCount,
        weightKg,
        before,
        after: billFigures(after),
        addedBy: actor.userId,
      },
      now,
    );
    const ticketAfter = await adjustTicket(tx, d.ticket.id, { bags: 1, children: d.parent.childCount, kg: weightKg });
    note.details = {
      returnTicket: d.ticket.code,
      billId: bill.billId,
      childCount: d.parent.childCount,
      weightKg,
      before,
      after: billFigures(after),
      ...(reopened ? { billReopened: true } : {}),
    };
    const value: ReturnBagResult = {
      outcome: 'returned',
      ticket: publicTicket(ticketAfter),
      bag: publicBag({ ...d.parent, billId: null }),
      bill: publicBill(after),
    };
    return { outcome: 'returned', value };
  });
}

export interface RemoveBagResult {
  ticket: Ticket;
  bag: Bag;
  putBack: { outcome: PutBackOutcome; reason: PutBackReason; billId: string };
  /** The bill it went back onto (null when it stayed unbilled). */
  bill: Bill | null;
}

/** Takes a bag off an open ticket: back onto its bill if that bill can take it, else unbilled. */
export function removeBag(ctx: Ctx, actor: Actor, rawTicket: string, rawCode: string): Promise<RemoveBagResult> {
  return runAttempt(ctx, actor, { action: 'return.remove' }, async (tx, note, now) => {
    note.details = { returnTicket: ticketName(rawTicket) };
    const code = tryNormaliseCode(rawCode);
    note.subject = code ?? rawCode.slice(0, 64);
    await gateNamedTicket(tx, rawTicket);
    const parent = code === undefined ? undefined : await lockBagByCode(tx, code, { lockBill: false });
    const seen = tryTicketCode(rawTicket) === undefined ? undefined : await findTicket(tx, tryTicketCode(rawTicket)!);
    const row = parent && seen ? (await openBagsOfTicket(tx, seen.id, parent.id))[0] : undefined;
    if (parent) note.areaId = parent.area;
    if (row) note.related = row.billId;
    const bill = row?.billRowId ? await lockBill(tx, row.billId) : undefined;
    const ticket = await lockNamedTicket(tx, rawTicket);
    if (!ticket) throw new DomainError('ticket_not_found', `No ticket ${ticketName(rawTicket)}`);
    assertTicketOpen(ticket);
    if (!parent) throw new DomainError('bag_not_found', `No bag ${code ?? rawCode.slice(0, 64)}`);
    if (!row) throw new DomainError('not_found', `${parent.code} is not on ticket ${ticket.code}`);
    const back = await putBack(
      tx,
      parent as BagRecord,
      row.billId,
      bill?.id === row.billRowId ? bill : undefined,
      actor.userId,
      await listBagKinds(tx),
      now,
    );
    await endTicketBag(tx, row.rowId, 'removed', back.outcome, now);
    const ticketAfter = await adjustTicket(tx, ticket.id, { bags: -1, children: -row.childCount, kg: -row.weightKg });
    note.details = {
      returnTicket: ticket.code,
      billId: row.billId,
      putBack: back.outcome,
      ...(back.reason ? { reason: back.reason } : {}),
      ...(back.after ? { before: back.before, after: billFigures(back.after) } : {}),
    };
    return {
      outcome: back.outcome,
      value: {
        ticket: publicTicket(ticketAfter),
        bag: publicBag({ ...parent, billId: back.after ? back.after.billId : parent.billId }),
        putBack: { outcome: back.outcome, reason: back.reason, billId: back.billId },
        bill: back.after ? publicBill(back.after) : null,
      },
    };
  });
}
