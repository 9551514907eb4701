/** TypeBox schemas of the reports API (SPEC §12). */
import { Type } from 'typebox';
import { AreaIdSchema, DateTime, Nullable } from './common.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a day in the display time zone' });
const Count = Type.Integer({ minimum: 0 });
const ByStatus = Type.Object({ new: Count, processing: Count, completed: Count });

export const DailyQuery = Type.Object({ date: Type.Optional(Day), area: Type.Optional(AreaIdSchema) }, { additionalProperties: false });

export const DailyReply = Type.Object({
  date: Type.String(),
  timezone: Type.String(),
  area: Nullable(Type.String()),
  scans: Type.Object({ parent: Count, child: Count, refused: Count }),
  hourly: Type.Array(Count, { minItems: 24, maxItems: 24 }),
  byArea: Type.Array(Type.Object({ area: Type.String(), parentBags: Count, childScans: Count })),
  byUser: Type.Array(Type.Object({ username: Type.String(), childScans: Count, parentScans: Count, refused: Count })),
  parents: Type.Object({ completed: Count, short: Count }),
  bills: Type.Object({ created: Count, completed: Count, byStatus: ByStatus }),
  returns: Type.Object({ tickets: Count, bags: Count }),
});

export const BillSummaryQuery = Type.Object(
  { from: Type.Optional(Day), to: Type.Optional(Day), createdBy: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);

export const BillSummaryReply = Type.Object({
  from: Type.String(),
  to: Type.String(),
  createdBy: Nullable(Type.String()),
  truncated: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      billId: Type.String(),
      status: Type.String(),
      parentCount: Count,
      childCount: Count,
      actualWeightKg: Count,
      expectedWeightKg: Count,
      createdBy: Nullable(Type.String()),
      createdAt: DateTime,
      completedAt: Nullable(DateTime),
    }),
  ),
  totals: Type.Object({
    bills: Count,
    parentCount: Count,
    childCount: Count,
    actualWeightKg: Count,
    expectedWeightKg: Count,
    byStatus: ByStatus,
  }),
});
