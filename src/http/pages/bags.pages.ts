/**
 * GET /bags (filtered list, keyset pages) and GET /bags/{code} (the bag page), over the same
 * use cases as GET /api/bags and GET /api/bags/{code}. The form's dates are whole days of
 * DISPLAY_TIMEZONE; the use cases take instants.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { listAreas } from '../../domain/areas/areas.service.js';
import { listBags, type BagListFilter } from '../../domain/bags/bag-list.service.js';
import { bagPage } from '../../domain/bags/bag-page.service.js';
import type { BagStatus } from '../../domain/bags/bag.js';
import type { BagType } from '../../domain/codes.js';
import { DomainError } from '../../domain/errors.js';
import { can } from '../../domain/permissions.js';
import { requireActor } from '../plugins/auth.js';
import { frameOf } from './frame.js';
import { bagHref, bagView } from './views/bag.view.js';
import { bagListView, listQuery, type BagListForm } from './views/bag-list.view.js';
import { startOfDayInZone } from './views/format.js';
import type { Flash } from './form-action.js';
import { correctionFlash } from './views/corrections.view.js';

const Choice = (...values: string[]) => Type.Optional(Type.Union([Type.Literal(''), ...values.map((v) => Type.Literal(v))]));
const Day = Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' }));
const Cursor = Type.Optional(Type.String({ maxLength: 1024 }));

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 4096 })),
  type: Choice('parent', 'child'),
  area: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{0,64}$' })),
  status: Choice('pending', 'completed', 'linked', 'unlinked'),
  linked: Choice('true', 'false'),
  billed: Choice('true', 'false'),
  user: Type.Optional(Type.String({ maxLength: 64 })),
  from: Day,
  to: Day,
  cursor: Cursor,
  done: Type.Optional(Type.String({ maxLength: 20 })),
});

const yesNo = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : undefined);
const blank = <T extends string>(v: T | '' | undefined) => (v === '' || v === undefined ? undefined : v);

export default async function bagPages(app: App) {
  const tz = () => app.config.displayTimezone;

  /** A form day as an instant; `to` is inclusive, so it ends at the next midnight. */
  function dayBound(day: string | undefined, next: boolean): Date | undefined {
    if (!day) return undefined;
    const start = startOfDayInZone(day, tz());
    if (!start) throw new DomainError('validation_failed', `"${day}" is not a date`);
    if (!next) return start;
    const following = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return startOfDayInZone(following, tz());
  }

  app.get('/bags', {
    config: { access: 'bags.read' },
    schema: { hide: true, querystring: ListQuery },
    handler: async (req, reply) => {
      const actor = requireActor(req);
      const { cursor, done, ...form } = req.query as BagListForm & { cursor?: string; done?: string };
      const filter: BagListFilter = {
        q: form.q,
        type: blank(form.type) as BagType | undefined,
        area: blank(form.area),
        status: blank(form.status) as BagStatus | undefined,
        linked: yesNo(form.linked),
        billed: yesNo(form.billed),
        user: form.user,
        from: dayBound(form.from, false),
        to: dayBound(form.to, true),
      };
      const page = await listBags(app.ctx, actor, filter, { cursor });
      const areas = actor.role === 'dispatcher' ? null : await listAreas(app.ctx);
      return reply.page(
        bagListView(frameOf(req, reply, 'Bags', { flash: correctionFlash(done) }), form, page.items, page.nextCursor, areas, tz()),
      );
    },
  });

  app.get('/bags/:code', {
    config: { access: 'bags.read' },
    schema: {
      hide: true,
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }),
      querystring: Type.Object({ children: Cursor, history: Cursor, done: Type.Optional(Type.String({ maxLength: 20 })) }),
    },
    handler: (req, reply) => {
      const { children, history, done } = req.query;
      return renderBag(app, req, reply, req.params.code, {
        childrenCursor: children,
        historyCursor: history,
        flash: correctionFlash(done),
      });
    },
  });
}

/** The bag page; a refused correction shows it again with the reason and the error's status. */
export async function renderBag(
  app: App,
  req: FastifyRequest,
  reply: FastifyReply,
  rawCode: string,
  opts: { childrenCursor?: string | undefined; historyCursor?: string | undefined; flash?: Flash | undefined; status?: number } = {},
) {
  const actor = requireActor(req);
  const p = await bagPage(app.ctx, actor, rawCode, { childrenCursor: opts.childrenCursor, historyCursor: opts.historyCursor });
  const here = bagHref(p.bag.code);
  return reply.page(
    bagView(frameOf(req, reply, p.bag.code, { flash: opts.flash }), p, {
      timeZone: app.config.displayTimezone,
      billLinks: can(actor, 'bills.read'),
      moreChildren: p.children.nextCursor ? `${here}${listQuery({}, { children: p.children.nextCursor })}` : null,
      olderHistory: p.history.nextCursor ? `${here}${listQuery({}, { history: p.history.nextCursor })}` : null,
      corrections: { unlink: can(actor, 'scans.unlink'), reopen: can(actor, 'bags.reopen'), delete: can(actor, 'bags.delete') },
    }),
    opts.status ?? 200,
  );
}
