/**
 * The bill page's form actions (Post/Redirect/Get): edit, complete (short with a reason:
 * admins), reopen, delete (admins), remove a parent. Each calls the same use case as the API;
 * a refusal shows the bill page again with the reason and the error's status.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { completeBill, deleteBill, editBill, reopenBill } from '../../domain/bills/bills.service.js';
import { removeParent } from '../../domain/bills/bill-links.service.js';
import { isDomainError } from '../../domain/errors.js';
import { requireActor } from '../plugins/auth.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';
import { billHref } from './views/bill-list.view.js';
import { renderBill } from './bills.pages.js';

const BillParams = Type.Object({ billId: Type.String({ minLength: 1, maxLength: 300 }) });
const ParentParams = Type.Object({ billId: Type.String({ minLength: 1, maxLength: 300 }), code: Type.String({ minLength: 1, maxLength: 300 }) });
const Csrf = { _csrf: Type.Optional(Type.String()) };
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** A form with nothing but the CSRF field (fastify validates a missing body as null). */
const CsrfOnly = Type.Union([Type.Object({ ...Csrf }), Type.Null()]);

export default async function billActionPages(app: App) {
  /** Runs the action; success → the bill page (or the list) with a flash; refusal → the bill page with the reason. */
  async function act(req: FastifyRequest, reply: FastifyReply, rawBillId: string, done: string, run: () => Promise<{ billId: string } | void>) {
    try {
      const r = await run();
      const target = r ? billHref(r.billId) : '/bills';
      return reply.redirect(`${target}?done=${done}`, 303);
    } catch (err) {
      if (!isDomainError(err) || err.code === 'bill_not_found') throw err;
      return renderBill(app, req, reply, rawBillId, { flash: { kind: 'error', text: err.message }, status: STATUS_BY_CODE[err.code] });
    }
  }

  app.post('/bills/:billId/edit', {
    config: { access: 'bills.write' },
    schema: {
      hide: true,
      params: BillParams,
      body: Type.Object({ capacity: Text(10), description: Text(200), destination: Text(200), vehicleNumber: Text(50), ...Csrf }),
    },
    handler: (req, reply) => {
      const f = req.body;
      const capacity = f.capacity === undefined || f.capacity.trim() === '' ? undefined : /^\s*\d{1,4}\s*$/.test(f.capacity) ? Number(f.capacity) : Number.NaN;
      return act(req, reply, req.params.billId, 'saved', () =>
        editBill(app.ctx, requireActor(req), req.params.billId, {
          capacity,
          // A field left out of the form stays as it is; an emptied one is cleared.
          description: f.description,
          destination: f.destination,
          vehicleNumber: f.vehicleNumber,
        }),
      );
    },
  });

  app.post('/bills/:billId/complete', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: BillParams, body: Type.Object({ reason: Text(500), ...Csrf }) },
    handler: (req, reply) => act(req, reply, req.params.billId, 'completed', () => completeBill(app.ctx, requireActor(req), req.params.billId, req.body.reason)),
  });

  app.post('/bills/:billId/reopen', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: BillParams, body: CsrfOnly },
    handler: (req, reply) => act(req, reply, req.params.billId, 'reopened', () => reopenBill(app.ctx, requireActor(req), req.params.billId)),
  });

  app.post('/bills/:billId/delete', {
    config: { access: 'bills.delete' },
    schema: { hide: true, params: BillParams, body: Type.Object({ confirm: Type.Literal('yes'), ...Csrf }) },
    handler: (req, reply) => act(req, reply, req.params.billId, 'deleted', () => deleteBill(app.ctx, requireActor(req), req.params.billId)),
  });

  app.post('/bills/:billId/parents/:code/remove', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: ParentParams, body: CsrfOnly },
    handler: (req, reply) =>
      act(req, reply, req.params.billId, 'removed', () => removeParent(app.ctx, requireActor(req), req.params.billId, req.params.code)),
  });
}
