/** Import schemas (SPEC §10): the POST answer, a past import, the list. */
import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';

const Kind = Type.Union([Type.Literal('bags'), Type.Literal('bills'), Type.Literal('label_batches'), Type.Literal('bill_batches')]);
const Counts = {
  rows: Type.Integer(),
  created: Type.Integer(),
  linked: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
};
const RowError = Type.Object({ row: Type.Integer(), code: Type.String(), message: Type.String() });

export const ImportAnswerSchema = Type.Object({
  importId: Type.String(),
  kind: Kind,
  dryRun: Type.Boolean(),
  ...Counts,
  errors: Type.Array(RowError),
});

export const ImportSchema = Type.Object({
  importId: Type.String(),
  kind: Kind,
  fileName: Type.String(),
  actor: Nullable(Type.String()),
  dryRun: Type.Boolean(),
  status: Type.String(),
  ...Counts,
  errors: Type.Array(RowError),
  createdAt: DateTime,
  finishedAt: Nullable(DateTime),
});

export const ImportQuery = Type.Object({
  kind: Type.Optional(Kind),
  dryRun: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
});
export const ImportListQuery = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const ImportParams = Type.Object({ importId: Type.String({ pattern: '^\\d{1,18}$' }) });
export const ImportListReply = Type.Object({ items: Type.Array(ImportSchema), nextCursor: Nullable(Type.String()) });
