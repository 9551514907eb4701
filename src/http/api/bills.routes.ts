/**
 * Bills API (SPEC §7): /api/bills … create, list, detail, edit, delete, link and remove parents,
 * complete, reopen. Billers and admins only (dispatchers get 403 from the guard); deleting is
 * for admins. Bill ids travel URL-encoded in paths: a '/' in an id is sent as %2F.
 */
import type { App } from '../../app.js';
import { completeBill, createBill, deleteBill, editBill, getBill, listBills, reopenBill } from '../../domain/bills/bills.service.js';
import { linkParent, removeParent } from '../../domain/bills/bill-links.service.js';
import { requireActor } from '../plugins/auth.js';
import { presentBag } from '../schemas/bags.schemas.js';
import { errorResponses, NoContent } from '../schemas/common.js';
import {
  BillDetailQuery,
  BillDetailReply,
  BillIdParams,
  BillListReply,
  BillParentParams,
  BillReply,
  CompleteBillBody,
  CreateBillBody,
  EditBillBody,
  LinkParentBody,
  LinkParentReply,
  ListBillsQuery,
  presentBill,
  presentBillEvent,
} from '../schemas/bills.schemas.js';

const tags = ['bills'];
const date = (s: string | undefined) => (s === undefined ? undefined : new Date(s));

export default async function billRoutes(app: App) {
  app.post('/api/bills', {
    config: { access: 'bills.write' },
    schema: { tags, body: CreateBillBody, response: { 201: BillReply, ...errorResponses } },
    handler: async (req, reply) => {
      const bill = await createBill(app.ctx, requireActor(req), req.body);
      return reply.status(201).send({ bill: presentBill(bill) });
    },
  });

  app.get('/api/bills', {
    config: { access: 'bills.read' },
    schema: { tags, querystring: ListBillsQuery, response: { 200: BillListReply, ...errorResponses } },
    handler: async (req) => {
      const q = req.query;
      const page = await listBills(app.ctx, { ...q, from: date(q.from), to: date(q.to) });
      return { items: page.items.map(presentBill), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/bills/:billId', {
    config: { access: 'bills.read' },
    schema: { tags, params: BillIdParams, querystring: BillDetailQuery, response: { 200: BillDetailReply, ...errorResponses } },
    handler: async (req) => {
      const d = await getBill(app.ctx, req.params.billId, req.query);
      return {
        bill: presentBill(d.bill),
        parents: d.parents.map(presentBag),
        nextCursor: d.nextCursor,
        history: d.history.map(presentBillEvent),
        historyCursor: d.historyCursor,
      };
    },
  });

  app.patch('/api/bills/:billId', {
    config: { access: 'bills.write' },
    schema: { tags, params: BillIdParams, body: EditBillBody, response: { 200: BillReply, ...errorResponses } },
    handler: async (req) => ({ bill: presentBill(await editBill(app.ctx, requireActor(req), req.params.billId, req.body)) }),
  });

  app.delete('/api/bills/:billId', {
    config: { access: 'bills.delete' },
    schema: { tags, params: BillIdParams, response: { 204: NoContent, ...errorResponses } },
    handler: async (req, reply) => {
      await deleteBill(app.ctx, requireActor(req), req.params.billId);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/bills/:billId/parents', {
    config: { access: 'bills.write' },
    schema: { tags, params: BillIdParams, body: LinkParentBody, response: { 200: LinkParentReply, ...errorResponses } },
    handler: async (req) => {
      const r = await linkParent(app.ctx, requireActor(req), req.params.billId, req.body);
      return { outcome: r.outcome, bill: presentBill(r.bill), bag: presentBag(r.bag), ...(r.warning ? { warning: r.warning } : {}) };
    },
  });

  app.delete('/api/bills/:billId/parents/:code', {
    config: { access: 'bills.write' },
    schema: { tags, params: BillParentParams, response: { 200: BillReply, ...errorResponses } },
    handler: async (req) => ({ bill: presentBill(await removeParent(app.ctx, requireActor(req), req.params.billId, req.params.code)) }),
  });

  // The body is optional: {reason} only for an admin completing short.
  app.post('/api/bills/:billId/complete', {
    config: { access: 'bills.write' },
    schema: { tags, params: BillIdParams, body: CompleteBillBody, response: { 200: BillReply, ...errorResponses } },
    handler: async (req) => ({ bill: presentBill(await completeBill(app.ctx, requireActor(req), req.params.billId, req.body?.reason)) }),
  });

  app.post('/api/bills/:billId/reopen', {
    config: { access: 'bills.write' },
    schema: { tags, params: BillIdParams, response: { 200: BillReply, ...errorResponses } },
    handler: async (req) => ({ bill: presentBill(await reopenBill(app.ctx, requireActor(req), req.params.billId)) }),
  });
}
