/**
 * Schemas of the look-up API (issue 5): search, bag list, bag page, dashboard, recent scans.
 * Response schemas are allow-lists; presenters map domain objects to them in one place.
 */
import { Type, type Static } from 'typebox';
import type { HistoryEvent } from '../../domain/audit/event.js';
import type { ChildEntry } from '../../domain/bags/bag-page.service.js';
import { ERROR_CODES } from '../../domain/errors.js';
import type { BillHit } from '../../domain/search/bill-hit.js';
import { AuditEventSchema } from './admin.schemas.js';
import { BagSchema, presentBag } from './bags.schemas.js';
import { BillSchema } from './bills.schemas.js';
import { AreaIdSchema, DateTime, Nullable } from './common.js';

const Cursor = Type.String({ minLength: 1, maxLength: 1024, description: 'nextCursor of the previous page, unchanged' });
const BagStatus = Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('unlinked'), Type.Literal('linked')]);
const BillStatus = Type.Union([Type.Literal('new'), Type.Literal('processing'), Type.Literal('completed')]);

// ---- Search ---------------------------------------------------------------------------------

export const SearchQuery = Type.Object({ q: Type.String({ maxLength: 4096, description: 'a bag code or bill id, scanned or typed' }) });

export const BillHitSchema = Type.Object({
  billId: Type.String(),
  status: BillStatus,
  capacity: Type.Integer(),
  parentCount: Type.Integer(),
  createdAt: DateTime,
});
export const presentBillHit = (b: BillHit): Static<typeof BillHitSchema> => ({ ...b, createdAt: b.createdAt.toISOString() });

export const SearchReply = Type.Object({
  exact: Nullable(
    Type.Union([
      Type.Object({ type: Type.Literal('bag'), code: Type.String() }),
      Type.Object({ type: Type.Literal('bill'), billId: Type.String() }),
    ]),
  ),
  bags: Type.Array(BagSchema),
  bills: Type.Array(BillHitSchema),
});

// ---- Bag list -------------------------------------------------------------------------------

export const BagListQuery = Type.Object(
  {
    type: Type.Optional(Type.Union([Type.Literal('parent'), Type.Literal('child')])),
    area: Type.Optional(AreaIdSchema),
    status: Type.Optional(BagStatus),
    linked: Type.Optional(Type.Boolean({ description: 'a child in a parent, or a parent with children' })),
    billed: Type.Optional(Type.Boolean({ description: 'a parent on a bill, or a child whose parent is on one' })),
    user: Type.Optional(Type.String({ maxLength: 64, description: 'scanned (created) by: username or user id' })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    q: Type.Optional(Type.String({ maxLength: 4096, description: 'part of a code' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type BagListQueryDto = Static<typeof BagListQuery>;

export const BagListReply = Type.Object({ items: Type.Array(BagSchema), nextCursor: Nullable(Type.String()) });

// ---- Bag page -------------------------------------------------------------------------------

export const BagPageQuery = Type.Object(
  {
    childrenCursor: Type.Optional(Cursor),
    historyCursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

export const ChildSchema = Type.Object({ ...BagSchema.properties, linkedAt: Nullable(DateTime) });
export const presentChild = (c: ChildEntry): Static<typeof ChildSchema> => ({
  ...presentBag(c),
  linkedAt: c.linkedAt?.toISOString() ?? null,
});

export const BagPageReply = Type.Object({
  bag: BagSchema,
  parent: Nullable(BagSchema),
  children: Type.Array(ChildSchema),
  childrenNextCursor: Nullable(Type.String()),
  bill: Nullable(BillSchema),
  history: Type.Array(AuditEventSchema),
  historyNextCursor: Nullable(Type.String()),
});

// ---- Dashboard ------------------------------------------------------------------------------

export const DashboardStatsReply = Type.Object({
  parentBags: Type.Integer(),
  childBags: Type.Integer(),
  bills: Type.Object({ new: Type.Integer(), processing: Type.Integer(), completed: Type.Integer() }),
  scansToday: Type.Integer(),
  areas: Type.Optional(Type.Array(Type.Object({ area: Type.String(), parentBags: Type.Integer(), childBags: Type.Integer() }))),
});

export const RecentQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
  { additionalProperties: false },
);

/** A scan attempt as the dashboard lists it; the live stream sends the same fields (no id). */
export const ScanEventSchema = Type.Object({
  id: Type.String(),
  at: DateTime,
  action: Type.String(),
  outcome: Type.String(),
  ok: Type.Boolean(),
  subject: Nullable(Type.String()),
  related: Nullable(Type.String()),
  area: Nullable(Type.String()),
  actor: Nullable(Type.String()),
  station: Nullable(Type.String()),
});

const REFUSALS: ReadonlySet<string> = new Set(ERROR_CODES);
export const presentScanEvent = (e: HistoryEvent): Static<typeof ScanEventSchema> => ({
  id: e.id,
  at: e.at.toISOString(),
  action: e.action,
  outcome: e.outcome,
  ok: !REFUSALS.has(e.outcome),
  subject: e.subject,
  related: e.related,
  area: e.areaId,
  actor: e.actorName,
  station: e.station,
});

export const RecentReply = Type.Object({ items: Type.Array(ScanEventSchema) });
