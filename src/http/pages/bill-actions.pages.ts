/**
 * The bill page's form actions (Post/Redirect/Get): edit, complete (short with a reason:
 * admins), reopen, delete (admins), remove a parent. Each calls the same use case as the API;
 * a refusal shows the bill page again with the reason and the error's status. Completing and
 * removing a parent ask first: without confirm=yes the post answers a confirmation page.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { completeBill, deleteBill, editBill, getBill, reopenBill } from '../../domain/bills/bills.service.js';
import { removeParent } from '../../domain/bills/bill-links.service.js';
import { html } from '../../lib/html.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { act, Csrf } from './form-action.js';
import { billHref } from './views/bill-list.view.js';
import { confirmView } from './views/confirm.view.js';
import { renderBill } from './bills.pages.js';

const BillParams = Type.Object({ billId: Type.String({ minLength: 1, maxLength: 300 }) });
const ParentParams = Type.Object({
  billId: Type.String({ minLength: 1, maxLength: 300 }),
  code: Type.String({ minLength: 1, maxLength: 300 }),
});
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** A form with nothing but the CSRF field (fastify validates a missing body as null). */
const CsrfOnly = Type.Union([Type.Object({ ...Csrf }), Type.Null()]);
const Confirm = { confirm: Type.Optional(Type.Literal('yes')) };
const ConfirmOnly = Type.Union([Type.Object({ ...Confirm, ...Csrf }), Type.Null()]);

export default async function billActionPages(app: App) {
  /** Runs the action; success → the bill page (or the list) with a flash; refusal → the bill page with the reason. */
  const run = (req: FastifyRequest, reply: FastifyReply, rawBillId: string, done: string, use: () => Promise<{ billId: string } | void>) =>
    act(reply, use, {
      next: (r) => `${r ? billHref(r.billId) : '/bills'}?done=${done}`,
      refused: (flash, status) => renderBill(app, req, reply, rawBillId, { flash, status }),
      rethrow: ['bill_not_found'],
    });

  app.post('/bills/:billId/edit', {
    config: { access: 'bills.write' },
    schema: {
      hide: true,
      params: BillParams,
      body: Type.Object({ capacity: Text(10), description: Text(200), destination: Text(200), vehicleNumber: Text(50), ...Csrf }),
    },
    handler: (req, reply) => {
      const f = req.body;
      const capacity =
        f.capacity === undefined || f.capacity.trim() === ''
          ? undefined
          : /^\s*\d{1,4}\s*$/.test(f.capacity)
            ? Number(f.capacity)
            : Number.NaN;
      return run(req, reply, req.params.billId, 'saved', () =>
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
    schema: { hide: true, params: BillParams, body: Type.Object({ reason: Text(500), ...Confirm, ...Csrf }) },
    handler: async (req, reply) => {
      const { reason, confirm } = req.body;
      if (confirm === 'yes')
        return run(req, reply, req.params.billId, 'completed', () => completeBill(app.ctx, requireActor(req), req.params.billId, reason));
      const { bill: b } = await getBill(app.ctx, req.params.billId, { limit: 1, historyLimit: 1 });
      const short = b.capacity - b.parentCount;
      return reply.page(
        confirmView(frameOf(req, reply, `Complete bill ${b.billId}?`), {
          question: `Complete bill ${b.billId}?`,
          body: html`<p>${b.parentCount} of ${b.capacity} parents · ${b.childCount} children · ${b.actualWeightKg} kg actual, ${b.expectedWeightKg} kg expected.</p>
  ${short > 0 ? html`<p class="flash flash-error">${short} parent${short === 1 ? '' : 's'} short${reason ? html` — reason: ${reason}` : ''}.</p>` : ''}
  <p>A completed bill is locked: no parent joins or leaves it, and no child of its parents is linked or unlinked, until it is reopened.</p>`,
          action: billHref(b.billId, '/complete'),
          fields: { reason },
          yes: short > 0 ? 'Yes, complete short' : 'Yes, complete the bill',
          cancelHref: billHref(b.billId),
        }),
      );
    },
  });

  app.post('/bills/:billId/reopen', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: BillParams, body: CsrfOnly },
    handler: (req, reply) =>
      run(req, reply, req.params.billId, 'reopened', () => reopenBill(app.ctx, requireActor(req), req.params.billId)),
  });

  app.post('/bills/:billId/delete', {
    config: { access: 'bills.delete' },
    schema: { hide: true, params: BillParams, body: Type.Object({ confirm: Type.Literal('yes'), ...Csrf }) },
    handler: (req, reply) => run(req, reply, req.params.billId, 'deleted', () => deleteBill(app.ctx, requireActor(req), req.params.billId)),
  });

  app.post('/bills/:billId/parents/:code/remove', {
    config: { access: 'bills.write' },
    schema: { hide: true, params: ParentParams, body: ConfirmOnly },
    handler: async (req, reply) => {
      const { billId, code } = req.params;
      if (req.body?.confirm === 'yes')
        return run(req, reply, billId, 'removed', () => removeParent(app.ctx, requireActor(req), billId, code));
      const { bill: b } = await getBill(app.ctx, billId, { limit: 1, historyLimit: 1 });
      return reply.page(
        confirmView(frameOf(req, reply, `Remove ${code}?`), {
          question: `Take ${code} off bill ${b.billId}?`,
          body: html`<p>The parent stays as it is, unbilled; it can be scanned onto a bill again. The bill then has ${Math.max(0, b.parentCount - 1)} of ${b.capacity} parents.</p>`,
          action: billHref(b.billId, `/parents/${encodeURIComponent(code)}/remove`),
          yes: `Yes, remove ${code}`,
          cancelHref: billHref(b.billId),
          danger: true,
        }),
      );
    },
  });
}
