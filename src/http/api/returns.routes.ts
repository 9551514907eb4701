/**
 * Returns API (SPEC §11): /api/returns … create a ticket, list, detail, return a parent onto it,
 * take one off, commit, cancel. Admins and billers only (dispatchers get 403 from the guard).
 */
import type { App } from '../../app.js';
import { removeBag, returnBag } from '../../domain/returns/return-bags.service.js';
import { cancelTicket, commitTicket, createTicket, getTicket, listTickets } from '../../domain/returns/returns.service.js';
import { requireActor } from '../plugins/auth.js';
import { presentBag } from '../schemas/bags.schemas.js';
import { presentBill, presentBillEvent } from '../schemas/bills.schemas.js';
import { errorResponses } from '../schemas/common.js';
import {
  CreateTicketBody,
  ListTicketsQuery,
  presentTicket,
  presentTicketBag,
  RemoveBagReply,
  ReturnBagBody,
  ReturnBagReply,
  TicketBagParams,
  TicketDetailReply,
  TicketListReply,
  TicketParams,
  TicketReply,
} from '../schemas/returns.schemas.js';

const tags = ['returns'];

export default async function returnRoutes(app: App) {
  app.post('/api/returns', {
    config: { access: 'returns.write' },
    schema: { tags, body: CreateTicketBody, response: { 201: TicketReply, ...errorResponses } },
    handler: async (req, reply) => {
      const ticket = await createTicket(app.ctx, requireActor(req), req.body, app.config.displayTimezone);
      return reply.status(201).send({ ticket: presentTicket(ticket) });
    },
  });

  app.get('/api/returns', {
    config: { access: 'returns.read' },
    schema: { tags, querystring: ListTicketsQuery, response: { 200: TicketListReply, ...errorResponses } },
    handler: async (req) => {
      const page = await listTickets(app.ctx, { ...req.query, status: req.query.status || undefined });
      return { items: page.items.map(presentTicket), nextCursor: page.nextCursor };
    },
  });

  app.get('/api/returns/:code', {
    config: { access: 'returns.read' },
    schema: { tags, params: TicketParams, response: { 200: TicketDetailReply, ...errorResponses } },
    handler: async (req) => {
      const d = await getTicket(app.ctx, req.params.code);
      return { ticket: presentTicket(d.ticket), bags: d.bags.map(presentTicketBag), history: d.history.map(presentBillEvent) };
    },
  });

  app.post('/api/returns/:code/bags', {
    config: { access: 'returns.write' },
    schema: { tags, params: TicketParams, body: ReturnBagBody, response: { 200: ReturnBagReply, ...errorResponses } },
    handler: async (req) => {
      const r = await returnBag(app.ctx, requireActor(req), req.params.code, req.body);
      return { outcome: r.outcome, ticket: presentTicket(r.ticket), bag: presentBag(r.bag), bill: r.bill ? presentBill(r.bill) : null };
    },
  });

  app.delete('/api/returns/:code/bags/:bagCode', {
    config: { access: 'returns.write' },
    schema: { tags, params: TicketBagParams, response: { 200: RemoveBagReply, ...errorResponses } },
    handler: async (req) => {
      const r = await removeBag(app.ctx, requireActor(req), req.params.code, req.params.bagCode);
      return { ticket: presentTicket(r.ticket), bag: presentBag(r.bag), putBack: r.putBack, bill: r.bill ? presentBill(r.bill) : null };
    },
  });

  app.post('/api/returns/:code/commit', {
    config: { access: 'returns.write' },
    schema: { tags, params: TicketParams, response: { 200: TicketReply, ...errorResponses } },
    handler: async (req) => ({ ticket: presentTicket(await commitTicket(app.ctx, requireActor(req), req.params.code)) }),
  });

  app.post('/api/returns/:code/cancel', {
    config: { access: 'returns.write' },
    schema: { tags, params: TicketParams, response: { 200: TicketReply, ...errorResponses } },
    handler: async (req) => ({ ticket: presentTicket(await cancelTicket(app.ctx, requireActor(req), req.params.code)) }),
  });
}
