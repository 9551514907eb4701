/**
 * Return pages (admins, billers): /returns (list + open a ticket), /returns/{code} (ticket page),
 * /returns/{code}/scan (the return station), /returns/{code}/confirm (commit or cancel, asked
 * first) and the form actions (Post/Redirect/Get), each calling the same use case as the API;
 * a refusal shows the ticket page again with the reason and the error's status.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { Csrf } from './form-action.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import { isDomainError } from '../../domain/errors.js';
import { removeBag } from '../../domain/returns/return-bags.service.js';
import { cancelTicket, commitTicket, createTicket, getTicket, listTickets } from '../../domain/returns/returns.service.js';
import type { TicketStatus } from '../../domain/returns/ticket.js';
import { requireActor } from '../plugins/auth.js';
import { STATUS_BY_CODE } from '../plugins/errors.js';
import { frameOf } from './frame.js';
import { returnStationView } from './views/return-station.view.js';
import { confirmView, returnListView, ticketHref, ticketView } from './views/returns.view.js';

const DONE: Record<string, string> = {
  committed: 'Return committed: its bags stay off their bills.',
  cancelled: 'Return cancelled: each bag went back onto its bill where it could.',
  back_on_bill: 'The bag went back onto its bill.',
  left_unbilled: 'The bag left the ticket; its bill could not take it back, so it is unbilled.',
};
type Flash = { kind: 'ok' | 'error'; text: string };

const Params = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) });
const BagParams = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 100 }),
  bagCode: Type.String({ minLength: 1, maxLength: 300 }),
});
const CsrfOnly = Type.Union([Type.Object({ ...Csrf }), Type.Null()]);
const Confirmed = Type.Object({ confirm: Type.Literal('yes'), ...Csrf });
const STYLES = ['bills.css', 'returns.css'];

export default async function returnPages(app: App) {
  const tz = () => app.config.displayTimezone;

  async function renderTicket(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    opts: { flash?: Flash | undefined; status?: number } = {},
  ) {
    const d = await getTicket(app.ctx, code);
    return reply.page(
      ticketView(frameOf(req, reply, `Return ${d.ticket.code}`, { flash: opts.flash, styles: STYLES }), d, tz()),
      opts.status ?? 200,
    );
  }

  async function act(req: FastifyRequest, reply: FastifyReply, code: string, run: () => Promise<string>) {
    try {
      const done = await run();
      return reply.redirect(`${ticketHref(code.trim().toUpperCase())}?done=${done}`, 303);
    } catch (err) {
      if (!isDomainError(err) || err.code === 'ticket_not_found') throw err;
      return renderTicket(req, reply, code, { flash: { kind: 'error', text: err.message }, status: STATUS_BY_CODE[err.code] });
    }
  }

  app.get('/returns', {
    config: { access: 'returns.read' },
    schema: {
      hide: true,
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('open'), Type.Literal('committed'), Type.Literal('cancelled')])),
        cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
      }),
    },
    handler: async (req, reply) => {
      const status = (req.query.status || undefined) as TicketStatus | undefined;
      const [page, areas] = await Promise.all([listTickets(app.ctx, { status, cursor: req.query.cursor, limit: 50 }), listAreas(app.ctx)]);
      return reply.page(
        returnListView(frameOf(req, reply, 'Returns', { styles: STYLES }), status, page.items, page.nextCursor, areas, tz()),
      );
    },
  });

  app.post('/returns', {
    config: { access: 'returns.write' },
    schema: {
      hide: true,
      body: Type.Object({ area: Type.String({ maxLength: 64 }), notes: Type.Optional(Type.String({ maxLength: 500 })), ...Csrf }),
    },
    handler: async (req, reply) => {
      const ticket = await createTicket(app.ctx, requireActor(req), { area: req.body.area, notes: req.body.notes }, tz());
      return reply.redirect(ticketHref(ticket.code, '/scan'), 303);
    },
  });

  app.get('/returns/:code', {
    config: { access: 'returns.read' },
    schema: { hide: true, params: Params, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: (req, reply) => {
      const done = req.query.done;
      return renderTicket(req, reply, req.params.code, { flash: done && DONE[done] ? { kind: 'ok', text: DONE[done]! } : undefined });
    },
  });

  app.get('/returns/:code/scan', {
    config: { access: 'returns.write' },
    schema: { hide: true, params: Params },
    handler: async (req, reply) => {
      const d = await getTicket(app.ctx, req.params.code);
      const frame = frameOf(req, reply, `Return station · ${d.ticket.code}`, { scripts: ['returns.js'], styles: STYLES });
      return reply.page(returnStationView(frame, req.user!, d.ticket, d.bags));
    },
  });

  app.get('/returns/:code/confirm', {
    config: { access: 'returns.write' },
    schema: {
      hide: true,
      params: Params,
      querystring: Type.Object({ action: Type.Union([Type.Literal('commit'), Type.Literal('cancel')]) }),
    },
    handler: async (req, reply) => {
      const d = await getTicket(app.ctx, req.params.code);
      const action = req.query.action;
      return reply.page(
        confirmView(
          frameOf(req, reply, `${action === 'commit' ? 'Commit' : 'Cancel'} ${d.ticket.code}`, { styles: STYLES }),
          d.ticket,
          action,
        ),
      );
    },
  });

  app.post('/returns/:code/commit', {
    config: { access: 'returns.write' },
    schema: { hide: true, params: Params, body: Confirmed },
    handler: (req, reply) =>
      act(req, reply, req.params.code, async () => (await commitTicket(app.ctx, requireActor(req), req.params.code)).status),
  });

  app.post('/returns/:code/cancel', {
    config: { access: 'returns.write' },
    schema: { hide: true, params: Params, body: Confirmed },
    handler: (req, reply) =>
      act(req, reply, req.params.code, async () => (await cancelTicket(app.ctx, requireActor(req), req.params.code)).status),
  });

  app.post('/returns/:code/bags/:bagCode/remove', {
    config: { access: 'returns.write' },
    schema: { hide: true, params: BagParams, body: CsrfOnly },
    handler: (req, reply) =>
      act(
        req,
        reply,
        req.params.code,
        async () => (await removeBag(app.ctx, requireActor(req), req.params.code, req.params.bagCode)).putBack.outcome,
      ),
  });
}
