/**
 * Bill pages (billers, admins): /bills (list), /bills/new (create form), /bills/{id} (the bill
 * page), /bills/{id}/scan (the bill scan station), /bills/{id}/print (dispatch sheet). The
 * form actions live in bill-actions.pages.ts. Bill ids in paths are URL-encoded ('/' → %2F).
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { createBill, getBill, listBills } from '../../domain/bills/bills.service.js';
import type { BillStatus } from '../../domain/bills/bill.js';
import { isDomainError } from '../../domain/errors.js';
import { can } from '../../domain/permissions.js';
import { requireActor } from '../plugins/auth.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';
import { frameOf } from './frame.js';
import { billHref, billListView, newBillView } from './views/bill-list.view.js';
import { billView } from './views/bill.view.js';
import { billPrintView } from './views/bill-print.view.js';
import { billScanView } from './views/bill-scan.view.js';

/** Flash texts for ?done= after a Post/Redirect/Get. */
const DONE: Record<string, string> = {
  saved: 'Changes saved.',
  completed: 'Bill completed: it is locked until reopened.',
  reopened: 'Bill reopened.',
  removed: 'Parent removed from the bill.',
  deleted: 'Bill deleted; its parents are unbilled.',
};
export type Flash = { kind: 'ok' | 'error'; text: string };

const BillParams = Type.Object({ billId: Type.String({ minLength: 1, maxLength: 300 }) });
const DetailQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  historyBefore: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 300 })),
  status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('new'), Type.Literal('processing'), Type.Literal('completed')])),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
export const CreateForm = Type.Object({
  billId: Type.String({ maxLength: 300 }),
  capacity: Type.String({ maxLength: 10 }),
  description: Text(200),
  destination: Text(200),
  vehicleNumber: Text(50),
  _csrf: Type.Optional(Type.String()),
});

const doneFlash = (done: string | undefined): Flash | undefined => (done && DONE[done] ? { kind: 'ok', text: DONE[done]! } : undefined);

/** The bill page, with an optional flash (a refused form action shows it with its status). */
export async function renderBill(
  app: App,
  req: FastifyRequest,
  reply: FastifyReply,
  rawBillId: string,
  opts: { flash?: Flash; status?: number; cursor?: string; historyBefore?: string } = {},
) {
  const actor = requireActor(req);
  const d = await getBill(app.ctx, rawBillId, { cursor: opts.cursor, historyBefore: opts.historyBefore });
  const base = billHref(d.bill.billId);
  return reply.page(
    billView(frameOf(req, reply, `Bill ${d.bill.billId}`, { flash: opts.flash, styles: ['bills.css'] }), d, {
      timeZone: app.config.displayTimezone,
      canWrite: can(actor, 'bills.write'),
      canDelete: can(actor, 'bills.delete'),
      isAdmin: actor.role === 'admin',
      moreParents: d.nextCursor ? `${base}?cursor=${encodeURIComponent(d.nextCursor)}` : null,
      olderHistory: d.historyCursor ? `${base}?historyBefore=${d.historyCursor}` : null,
    }),
    opts.status ?? 200,
  );
}

export default async function billPages(app: App) {
  app.get('/bills', {
    config: { access: 'bills.read' },
    schema: { hide: true, querystring: ListQuery },
    handler: async (req, reply) => {
      const { q, status, cursor, done } = req.query;
      const page = await listBills(app.ctx, {
        q: q || undefined,
        status: (status || undefined) as BillStatus | undefined,
        cursor,
        limit: 50,
      });
      const frame = frameOf(req, reply, 'Bills', { flash: doneFlash(done), styles: ['bills.css'] });
      return reply.page(
        billListView(frame, { q, status }, page.items, page.nextCursor, can(requireActor(req), 'bills.write'), app.config.displayTimezone),
      );
    },
  });

  app.get('/bills/new', {
    config: { access: 'bills.write' },
    schema: { hide: true },
    handler: (req, reply) => reply.page(newBillView(frameOf(req, reply, 'New bill', { scripts: ['bills.js'], styles: ['bills.css'] }))),
  });

  app.post('/bills', {
    config: { access: 'bills.write' },
    schema: { hide: true, body: CreateForm },
    handler: async (req, reply) => {
      const f = req.body;
      const capacity = /^\s*\d{1,4}\s*$/.test(f.capacity) ? Number(f.capacity) : Number.NaN;
      try {
        const bill = await createBill(app.ctx, requireActor(req), {
          billId: f.billId,
          capacity,
          description: f.description,
          destination: f.destination,
          vehicleNumber: f.vehicleNumber,
        });
        return reply.redirect(billHref(bill.billId, '/scan'), 303);
      } catch (err) {
        if (!isDomainError(err)) throw err;
        const frame = frameOf(req, reply, 'New bill', {
          flash: { kind: 'error', text: err.message },
          scripts: ['bills.js'],
          styles: ['bills.css'],
        });
        return reply.page(newBillView(frame, f), STATUS_BY_CODE[err.code]);
      }
    },
  });

  app.get('/bills/:billId', {
    config: { access: 'bills.read' },
    schema: { hide: true, params: BillParams, querystring: DetailQuery },
    handler: (req, reply) =>
      renderBill(app, req, reply, req.params.billId, {
        flash: doneFlash(req.query.done),
        cursor: req.query.cursor,
        historyBefore: req.query.historyBefore,
      }),
  });

  app.get('/bills/:billId/scan', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: BillParams },
    handler: async (req, reply) => {
      // A bill holds at most 500 parents: the station gets all of them.
      const d = await getBill(app.ctx, req.params.billId, { limit: 500, historyLimit: 1 });
      const frame = frameOf(req, reply, `Scan · ${d.bill.billId}`, { scripts: ['bills.js'], styles: ['bills.css'] });
      return reply.page(billScanView(frame, req.user!, d.bill, d.parents));
    },
  });

  app.get('/bills/:billId/print', {
    config: { access: 'bills.read' },
    schema: { hide: true, params: BillParams },
    handler: async (req, reply) => {
      const d = await getBill(app.ctx, req.params.billId, { limit: 500, historyLimit: 1 });
      const frame = frameOf(req, reply, `Dispatch sheet ${d.bill.billId}`, { scripts: ['bills.js'], styles: ['bills.css'] });
      return reply.page(billPrintView(frame, d.bill, d.parents, app.config.displayTimezone, app.ctx.clock.now()));
    },
  });
}
