/**
 * Bill schemas (SPEC §7). Response schemas are allow-lists: a bill leaves as exactly the SPEC
 * fields (internal ids, the short-completion reason and link facts stay inside); presentBill()
 * is the one Bill → JSON mapping.
 */
import { Type, type Static } from 'typebox';
import type { HistoryEvent } from '../../domain/audit/event.js';
import type { Bill } from '../../domain/bills/bill.js';
import { BagSchema, ScanId, ScannedCode } from './bags.schemas.js';
import { DateTime, Nullable } from './common.js';

const Status = Type.Union([Type.Literal('new'), Type.Literal('processing'), Type.Literal('completed')]);

export const BillSchema = Type.Object({
  billId: Type.String(),
  status: Status,
  capacity: Type.Integer(),
  parentCount: Type.Integer(),
  childCount: Type.Integer(),
  actualWeightKg: Type.Integer(),
  expectedWeightKg: Type.Integer(),
  description: Nullable(Type.String()),
  destination: Nullable(Type.String()),
  vehicleNumber: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: DateTime,
  completedAt: Nullable(DateTime),
});
export type BillDto = Static<typeof BillSchema>;

export const presentBill = (b: Bill): BillDto => ({
  billId: b.billId,
  status: b.status,
  capacity: b.capacity,
  parentCount: b.parentCount,
  childCount: b.childCount,
  actualWeightKg: b.actualWeightKg,
  expectedWeightKg: b.expectedWeightKg,
  description: b.description,
  destination: b.destination,
  vehicleNumber: b.vehicleNumber,
  createdBy: b.createdBy,
  createdAt: b.createdAt.toISOString(),
  completedAt: b.completedAt ? b.completedAt.toISOString() : null,
});

/** One line of a bill's history (who, when, from which station, what, with which outcome). */
export const BillEventSchema = Type.Object({
  id: Type.String(),
  at: DateTime,
  actor: Nullable(Type.String()),
  action: Type.String(),
  outcome: Type.String(),
  subject: Nullable(Type.String()),
  related: Nullable(Type.String()),
  station: Nullable(Type.String()),
  details: Nullable(Type.Object({}, { additionalProperties: true })),
});

export const presentBillEvent = (e: HistoryEvent): Static<typeof BillEventSchema> => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actorName,
  action: e.action,
  outcome: e.outcome,
  subject: e.subject,
  related: e.related,
  station: e.station,
  details: e.details,
});

/** A bill id in the path, URL-encoded by the client ('/' as %2F); normalised like a scan. */
export const BillIdParams = Type.Object({ billId: Type.String({ minLength: 1, maxLength: 300 }) });
export const BillParentParams = Type.Object({
  billId: Type.String({ minLength: 1, maxLength: 300 }),
  code: Type.String({ minLength: 1, maxLength: 300 }),
});

const Text = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));

export const CreateBillBody = Type.Object(
  {
    billId: Type.String({ maxLength: 300 }),
    capacity: Type.Integer({ minimum: 1, maximum: 500 }),
    description: Text(200),
    destination: Text(200),
    vehicleNumber: Text(50),
  },
  { additionalProperties: false },
);

export const EditBillBody = Type.Object(
  {
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    description: Text(200),
    destination: Text(200),
    vehicleNumber: Text(50),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListBillsQuery = Type.Object(
  {
    status: Type.Optional(Status),
    q: Type.Optional(Type.String({ maxLength: 300 })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    createdBy: Type.Optional(Type.String({ maxLength: 64 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const BillDetailQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    historyBefore: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    historyLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const LinkParentBody = Type.Object({ code: ScannedCode, scanId: Type.Optional(ScanId) }, { additionalProperties: false });
/** Optional: a POST without a body (fastify validates it as null) completes with no reason. */
export const CompleteBillBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  Type.Null(),
]);

export const BillReply = Type.Object({ bill: BillSchema });
export const BillListReply = Type.Object({ items: Type.Array(BillSchema), nextCursor: Nullable(Type.String()) });
export const BillDetailReply = Type.Object({
  bill: BillSchema,
  parents: Type.Array(BagSchema),
  /** Cursor of the next page of parents (query `cursor`), null on the last page. */
  nextCursor: Nullable(Type.String()),
  history: Type.Array(BillEventSchema),
  /** Cursor of older history (query `historyBefore`), null when all is shown. */
  historyCursor: Nullable(Type.String()),
});
export const LinkParentReply = Type.Object({
  outcome: Type.Union([Type.Literal('linked'), Type.Literal('already_on_bill')]),
  bill: BillSchema,
  bag: BagSchema,
  /** Present when the parent is on the bill but not finished (pending): it joined, with this warning. */
  warning: Type.Optional(Type.Object({ code: Type.Literal('parent_unfinished'), message: Type.String() })),
});
