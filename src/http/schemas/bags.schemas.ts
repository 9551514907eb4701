/**
 * Bag and scan schemas. Response schemas are allow-lists (internal ids and link facts never
 * leave); presentBag() is the one Bag → JSON mapping, typed by the schema it must satisfy.
 */
import { Type, type Static } from 'typebox';
import type { Bag } from '../../domain/bags/bag.js';
import { AreaIdSchema, DateTime, Nullable } from './common.js';

export const BagSchema = Type.Object({
  code: Type.String(),
  type: Type.Union([Type.Literal('parent'), Type.Literal('child')]),
  kind: Nullable(Type.String()),
  area: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('unlinked'), Type.Literal('linked')]),
  childCount: Type.Integer(),
  capacity: Nullable(Type.Integer()),
  parentCode: Nullable(Type.String()),
  billId: Nullable(Type.String()),
  createdAt: DateTime,
});
export type BagDto = Static<typeof BagSchema>;

export const presentBag = (b: Bag): BagDto => ({
  code: b.code,
  type: b.type,
  kind: b.kind,
  area: b.area,
  status: b.status,
  childCount: b.childCount,
  capacity: b.capacity,
  parentCode: b.parentCode,
  billId: b.billId,
  createdAt: b.createdAt.toISOString(),
});

/**
 * Raw scanned text. Anything up to 4096 characters reaches the domain, which normalises it and
 * answers invalid_format beyond 255 (SPEC §2); longer input is a schema failure (400) as well.
 */
export const ScannedCode = Type.String({ maxLength: 4096 });
/** Client-generated idempotency key. */
export const ScanId = Type.String({ format: 'uuid' });

export const ScanParentBody = Type.Object(
  { code: ScannedCode, scanId: Type.Optional(ScanId), area: Type.Optional(AreaIdSchema) },
  { additionalProperties: false },
);
export const ScanParentReply = Type.Object({
  outcome: Type.Union([Type.Literal('created'), Type.Literal('resumed')]),
  bag: BagSchema,
});

export const ScanChildBody = Type.Object(
  { parentCode: ScannedCode, code: ScannedCode, scanId: Type.Optional(ScanId) },
  { additionalProperties: false },
);
export const ScanChildReply = Type.Object({
  outcome: Type.Union([Type.Literal('linked'), Type.Literal('already_linked')]),
  child: BagSchema,
  parent: BagSchema,
});

/** A supervisor's reason (domain/bags/reason.ts checks blank and the 200-character limit). */
export const Reason = Type.String({ maxLength: 1000, description: 'Why (at most 200 characters); kept in the history' });

export const UndoBody = Type.Object(
  { parentCode: ScannedCode, code: Type.Optional(ScannedCode), reason: Type.Optional(Reason) },
  { additionalProperties: false },
);
export const UndoReply = Type.Object({ removed: BagSchema, parent: BagSchema });

/** A bag code in the path, URL-encoded by the client; normalised like a scan. */
export const BagCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
export const BagReply = Type.Object({ bag: BagSchema });

/** reopen and delete: an optional reason, or no body at all (fastify validates a missing body as null). */
export const ReasonBody = Type.Union([Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }), Type.Null()]);

export const MoveBody = Type.Object(
  { to: Type.String({ maxLength: 4096, description: 'The parent the child moves into' }), reason: Reason },
  { additionalProperties: false },
);
export const MoveReply = Type.Object({ child: BagSchema, from: BagSchema, to: BagSchema });
