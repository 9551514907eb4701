/**
 * Return tickets (SPEC §11): dealers send unsold parent bags back; each return is a ticket,
 * open → committed | cancelled. `Ticket` is the public shape of SPEC §11; the rules here are
 * pure decisions over facts the services read under locks (parent, then bill, then ticket:
 * docs/decisions/0018-returns.md), checked in one fixed order so one situation gives one code.
 */
import { randomBytes } from 'node:crypto';
import type { BagRecord } from '../bags/bag.js';
import type { BillRecord } from '../bills/bill.js';
import { DomainError } from '../errors.js';

export type TicketStatus = 'open' | 'committed' | 'cancelled';
export const TICKET_STATUSES = ['open', 'committed', 'cancelled'] as const;
export const MAX_NOTES = 500;

export interface Ticket {
  code: string;
  status: TicketStatus;
  area: string;
  notes: string | null;
  bagCount: number;
  childCount: number;
  weightKg: number;
  /** Username of the creator (null if that user was removed). */
  createdBy: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface TicketRecord extends Ticket {
  id: string;
}

export const publicTicket = (r: Ticket): Ticket => ({
  code: r.code,
  status: r.status,
  area: r.area,
  notes: r.notes,
  bagCount: r.bagCount,
  childCount: r.childCount,
  weightKg: r.weightKg,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  closedAt: r.closedAt,
});

/** A Ticket read back from JSON (a stored scanId answer). */
export const reviveTicket = (json: unknown): Ticket => {
  const t = json as Ticket & { createdAt: string; closedAt: string | null };
  return { ...t, createdAt: new Date(t.createdAt), closedAt: t.closedAt === null ? null : new Date(t.closedAt) };
};

/** The bill figures kept before and after a parent leaves or rejoins it. */
export interface BillFigures {
  billId: string;
  status: string;
  parentCount: number;
  childCount: number;
  actualWeightKg: number;
  expectedWeightKg: number;
}

export const billFigures = (b: BillRecord): BillFigures => ({
  billId: b.billId,
  status: b.status,
  parentCount: b.parentCount,
  childCount: b.childCount,
  actualWeightKg: b.actualWeightKg,
  expectedWeightKg: b.expectedWeightKg,
});

/** One bag as it sits (or sat) on a ticket. */
export interface TicketBag {
  code: string;
  kind: string | null;
  state: 'open' | 'committed' | 'cancelled' | 'removed';
  /** The bill it was returned from. */
  billId: string;
  childCount: number;
  weightKg: number;
  billBefore: BillFigures;
  billAfter: BillFigures;
  addedBy: string | null;
  addedAt: Date;
  putBack: PutBackOutcome | null;
  endedAt: Date | null;
}

/** A ticket code: RTN-, the date in the display time zone (YYYYMMDD), four upper-case hex digits. */
export function newTicketCode(now: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return `RTN-${p.year}${p.month}${p.day}-${randomBytes(2).toString('hex').toUpperCase()}`;
}

/** Codes are typed or scanned too: upper case, trimmed; undefined when no ticket could have it. */
export function tryTicketCode(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return /^RTN-[0-9]{8}-[0-9A-F]{4}$/.test(code) ? code : undefined;
}

export function assertTicketOpen(t: TicketRecord): void {
  if (t.status !== 'open') throw new DomainError('ticket_closed', `Ticket ${t.code} is ${t.status}`, { ticket: t.code, status: t.status });
}

export interface AddFacts {
  code: string;
  ticket: TicketRecord | undefined;
  ticketCode: string;
  parent: BagRecord | undefined;
  /** The open ticket the parent is on, if any (read under the parent lock). */
  openTicket: string | undefined;
}

export type AddDecision = { action: 'already_returned' | 'return'; ticket: TicketRecord; parent: BagRecord };

/** SPEC §11, in its order: ticket, closed, bag, type, this ticket, other ticket, on a bill. */
export function decideAdd(f: AddFacts): AddDecision {
  const { ticket, parent } = f;
  if (!ticket) throw new DomainError('ticket_not_found', `No ticket ${f.ticketCode}`);
  assertTicketOpen(ticket);
  if (!parent) throw new DomainError('bag_not_found', `No bag ${f.code}`);
  if (parent.type !== 'parent') throw new DomainError('wrong_bag_type', `${f.code} is a child bag: only parents are returned`);
  if (f.openTicket === ticket.code) return { action: 'already_returned', ticket, parent };
  if (f.openTicket !== undefined) {
    throw new DomainError('on_other_ticket', `${f.code} is already on ticket ${f.openTicket}`, { ticket: f.openTicket });
  }
  if (parent.billId === null) throw new DomainError('not_on_bill', `${f.code} is not on a bill: only billed parents are returned`);
  return { action: 'return', ticket, parent };
}

export type PutBackOutcome = 'back_on_bill' | 'left_unbilled';
export type PutBackReason = 'bill_deleted' | 'bill_completed' | 'bill_full' | 'on_other_bill' | null;

/**
 * Where a bag taken off an open ticket goes (ADR 0018): back onto the bill it came from when that
 * bill still exists, is open and has room; otherwise it stays unbilled, and the answer says why.
 * A parent someone put on a bill in the meantime stays where it is.
 */
export function decidePutBack(parent: BagRecord, bill: BillRecord | undefined): { outcome: PutBackOutcome; reason: PutBackReason } {
  if (parent.billId !== null) return { outcome: 'left_unbilled', reason: 'on_other_bill' };
  if (!bill) return { outcome: 'left_unbilled', reason: 'bill_deleted' };
  if (bill.status === 'completed') return { outcome: 'left_unbilled', reason: 'bill_completed' };
  if (bill.parentCount >= bill.capacity) return { outcome: 'left_unbilled', reason: 'bill_full' };
  return { outcome: 'back_on_bill', reason: null };
}
