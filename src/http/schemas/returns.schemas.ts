/**
 * Return ticket schemas (SPEC §11). Response schemas are allow-lists: a ticket leaves as exactly
 * the SPEC fields; presentTicket() is the one Ticket → JSON mapping.
 */
import { Type, type Static } from 'typebox';
import type { Ticket, TicketBag } from '../../domain/returns/ticket.js';
import { BagSchema, ScanId, ScannedCode } from './bags.schemas.js';
import { BillEventSchema, BillSchema } from './bills.schemas.js';
import { AreaIdSchema, DateTime, Nullable } from './common.js';

const Status = Type.Union([Type.Literal('open'), Type.Literal('committed'), Type.Literal('cancelled')]);

export const TicketSchema = Type.Object({
  code: Type.String(),
  status: Status,
  area: Type.String(),
  notes: Nullable(Type.String()),
  bagCount: Type.Integer(),
  childCount: Type.Integer(),
  weightKg: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});
export type TicketDto = Static<typeof TicketSchema>;

export const presentTicket = (t: Ticket): TicketDto => ({
  code: t.code,
  status: t.status,
  area: t.area,
  notes: t.notes,
  bagCount: t.bagCount,
  childCount: t.childCount,
  weightKg: t.weightKg,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  closedAt: t.closedAt ? t.closedAt.toISOString() : null,
});

const Figures = Type.Object({
  billId: Type.String(),
  status: Type.String(),
  parentCount: Type.Integer(),
  childCount: Type.Integer(),
  actualWeightKg: Type.Integer(),
  expectedWeightKg: Type.Integer(),
});

const PutBackOutcome = Type.Union([Type.Literal('back_on_bill'), Type.Literal('left_unbilled')]);

export const TicketBagSchema = Type.Object({
  code: Type.String(),
  kind: Nullable(Type.String()),
  state: Type.Union([Type.Literal('open'), Type.Literal('committed'), Type.Literal('cancelled'), Type.Literal('removed')]),
  billId: Type.String(),
  childCount: Type.Integer(),
  weightKg: Type.Integer(),
  billBefore: Figures,
  billAfter: Figures,
  addedBy: Nullable(Type.String()),
  addedAt: DateTime,
  putBack: Nullable(PutBackOutcome),
  endedAt: Nullable(DateTime),
});

export const presentTicketBag = (b: TicketBag): Static<typeof TicketBagSchema> => ({
  ...b,
  addedAt: b.addedAt.toISOString(),
  endedAt: b.endedAt ? b.endedAt.toISOString() : null,
});

export const TicketParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) });
export const TicketBagParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 100 }),
  bagCode: Type.String({ minLength: 1, maxLength: 300 }),
});

export const CreateTicketBody = Type.Object(
  { area: AreaIdSchema, notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) },
  { additionalProperties: false },
);
export const ReturnBagBody = Type.Object({ code: ScannedCode, scanId: Type.Optional(ScanId) }, { additionalProperties: false });
export const ListTicketsQuery = Type.Object(
  {
    /** Empty means any status (a form's "any" option). */
    status: Type.Optional(Type.Union([Status, Type.Literal('')])),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const TicketReply = Type.Object({ ticket: TicketSchema });
export const TicketListReply = Type.Object({ items: Type.Array(TicketSchema), nextCursor: Nullable(Type.String()) });
export const TicketDetailReply = Type.Object({
  ticket: TicketSchema,
  bags: Type.Array(TicketBagSchema),
  history: Type.Array(BillEventSchema),
});
export const ReturnBagReply = Type.Object({
  outcome: Type.Union([Type.Literal('returned'), Type.Literal('already_returned')]),
  ticket: TicketSchema,
  bag: BagSchema,
  bill: Nullable(BillSchema),
});
export const RemoveBagReply = Type.Object({
  ticket: TicketSchema,
  bag: BagSchema,
  putBack: Type.Object({
    outcome: PutBackOutcome,
    reason: Nullable(
      Type.Union([Type.Literal('bill_deleted'), Type.Literal('bill_completed'), Type.Literal('bill_full'), Type.Literal('on_other_bill')]),
    ),
    billId: Type.String(),
  }),
  bill: Nullable(BillSchema),
});
