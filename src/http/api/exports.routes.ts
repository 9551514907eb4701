/**
 * GET /api/exports/{bags|bills|events|users}.{csv|xlsx}: the lists' filters, streamed by keyset
 * with no row cap; times in ISO UTC plus a column in the display time zone. Scoping is the list
 * use cases' own (dispatchers: their area's bags and events). GET /api/audit/export.csv is the
 * events export under its old name.
 */
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { App } from '../../app.js';
import type { Actor } from '../../domain/actor.js';
import { bagsExport, billsExport, eventsExport, primed, usersExport } from '../../domain/exports/exports.service.js';
import type { SheetFormat } from '../../lib/spreadsheet.js';
import { requireActor } from '../plugins/auth.js';
import { AuditQuerySchema } from '../schemas/admin.schemas.js';
import { ListBillsQuery } from '../schemas/bills.schemas.js';
import { errorResponses } from '../schemas/common.js';
import { BagListQuery } from '../schemas/read.schemas.js';
import { sendSheet, sheetFileName } from '../sheet-reply.js';
import { auditFilterOf } from './audit.routes.js';

const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));
/** Documented as a file; typed loosely so a handler may return the streaming reply. */
export const FileReply = { 200: Type.Any({ description: 'The file (CSV or XLSX), streamed' }), ...errorResponses };

const BagsQuery = Type.Omit(BagListQuery, ['cursor', 'limit'], { additionalProperties: false });
const BillsQuery = Type.Omit(ListBillsQuery, ['cursor', 'limit'], { additionalProperties: false });
const EventsQuery = Type.Omit(AuditQuerySchema, ['cursor', 'limit'], { additionalProperties: false });
const UsersQuery = Type.Object({}, { additionalProperties: false });

/** `2026-11-25 11:30:00` in the display time zone (one formatter per zone). */
function localTimeOf(timeZone: string): (d: Date | null) => string {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return (d) => (d ? f.format(d) : '');
}

async function* mapRows<T>(rows: AsyncIterable<T>, f: (r: T) => unknown[]): AsyncGenerator<unknown[]> {
  for await (const r of rows) yield f(r);
}

export function sendEvents(
  app: App,
  reply: FastifyReply,
  actor: Actor,
  q: Static<typeof EventsQuery>,
  format: SheetFormat,
  what = 'events',
) {
  const local = localTimeOf(app.config.displayTimezone);
  return primed(eventsExport(app.ctx, actor, auditFilterOf(q))).then((rows) =>
    sendSheet(
      reply,
      format,
      sheetFileName(what, app.ctx.clock.now(), format),
      [
        'id',
        'at',
        `at (${app.config.displayTimezone})`,
        'actor_id',
        'actor',
        'action',
        'outcome',
        'subject',
        'related',
        'area',
        'ip',
        'station',
        'request_id',
        'details',
      ],
      mapRows(rows, (e) => [
        e.id,
        e.at,
        local(e.at),
        e.actorId,
        e.actorName,
        e.action,
        e.outcome,
        e.subject,
        e.related,
        e.areaId,
        e.ip,
        e.station,
        e.requestId,
        e.details,
      ]),
    ),
  );
}

export default async function exportRoutes(app: App) {
  const tz = app.config.displayTimezone;
  const local = localTimeOf(tz);
  const name = (what: string, format: SheetFormat) => sheetFileName(what, app.ctx.clock.now(), format);

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/api/exports/bags.${format}`, {
      config: { access: 'exports.bags' },
      schema: { tags: ['exports'], querystring: BagsQuery, response: FileReply },
      handler: async (req, reply) => {
        const { from, to, ...f } = req.query as Static<typeof BagsQuery>;
        const rows = await primed(bagsExport(app.ctx, requireActor(req), { ...f, from: date(from), to: date(to) }));
        return sendSheet(
          reply,
          format,
          name('bags', format),
          [
            'code',
            'type',
            'kind',
            'area',
            'status',
            'child_count',
            'capacity',
            'parent_code',
            'bill_id',
            'created_at',
            `created_at (${tz})`,
          ],
          mapRows(rows, (b) => [
            b.code,
            b.type,
            b.kind,
            b.area,
            b.status,
            b.childCount,
            b.capacity,
            b.parentCode,
            b.billId,
            b.createdAt,
            local(b.createdAt),
          ]),
        );
      },
    });

    app.get(`/api/exports/bills.${format}`, {
      config: { access: 'exports.bills' },
      schema: { tags: ['exports'], querystring: BillsQuery, response: FileReply },
      handler: async (req, reply) => {
        const q = req.query as Static<typeof BillsQuery>;
        const rows = await primed(billsExport(app.ctx, { ...q, from: date(q.from), to: date(q.to) }));
        return sendSheet(
          reply,
          format,
          name('bills', format),
          [
            'bill_id',
            'status',
            'capacity',
            'parent_count',
            'child_count',
            'actual_weight_kg',
            'expected_weight_kg',
            'description',
            'destination',
            'vehicle_number',
            'created_by',
            'created_at',
            `created_at (${tz})`,
            'completed_at',
            `completed_at (${tz})`,
          ],
          mapRows(rows, (b) => [
            b.billId,
            b.status,
            b.capacity,
            b.parentCount,
            b.childCount,
            b.actualWeightKg,
            b.expectedWeightKg,
            b.description,
            b.destination,
            b.vehicleNumber,
            b.createdBy,
            b.createdAt,
            local(b.createdAt),
            b.completedAt,
            local(b.completedAt),
          ]),
        );
      },
    });

    app.get(`/api/exports/events.${format}`, {
      config: { access: 'exports.events' },
      schema: { tags: ['exports'], querystring: EventsQuery, response: FileReply },
      handler: (req, reply) => sendEvents(app, reply, requireActor(req), req.query as Static<typeof EventsQuery>, format),
    });

    app.get(`/api/exports/users.${format}`, {
      config: { access: 'exports.users' },
      schema: { tags: ['exports'], querystring: UsersQuery, response: FileReply },
      handler: async (_req, reply) => {
        const rows = await primed(usersExport(app.ctx));
        return sendSheet(
          reply,
          format,
          name('users', format),
          [
            'id',
            'username',
            'email',
            'role',
            'area',
            'active',
            'last_login_at',
            `last_login_at (${tz})`,
            'created_at',
            `created_at (${tz})`,
          ],
          mapRows(rows, (u) => [
            u.id,
            u.username,
            u.email,
            u.role,
            u.areaId,
            u.active,
            u.lastLoginAt,
            local(u.lastLoginAt),
            u.createdAt,
            local(u.createdAt),
          ]),
        );
      },
    });
  }
}
