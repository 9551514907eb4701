/**
 * The bag page's correction forms (SPEC §9 last bullet; admins and billers, delete admins only):
 * POST /bags/{code}/unlink · /move · /reopen · /delete. Each calls the same use case as the API
 * with a required reason; success → 303 back to the bag page with a flash, a refusal → the bag
 * page again with the reason and the error's status.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { deleteBag, reopenParent } from '../../domain/bags/bags.service.js';
import { moveChild } from '../../domain/bags/corrections.service.js';
import { undoLink } from '../../domain/scans/undo.service.js';
import { requireActor } from '../plugins/auth.js';
import { act, Csrf } from './form-action.js';
import { renderBag } from './bags.pages.js';
import { bagHref } from './views/bag.view.js';

const Params = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
const Reason = { reason: Type.String({ maxLength: 1000 }) };
const Code = Type.String({ maxLength: 300 });

export default async function bagCorrectionPages(app: App) {
  const run = <T>(req: FastifyRequest, reply: FastifyReply, next: (r: T) => string, use: () => Promise<T>) =>
    act(reply, use, {
      next,
      refused: (flash, status) => renderBag(app, req, reply, (req.params as { code: string }).code, { flash, status }),
      rethrow: ['bag_not_found'],
    });
  /** Back to the page of the bag the form was about, under its normalised code, with a flash. */
  const back = (code: string, done: string) => `${bagHref(code)}?done=${done}`;

  app.post('/bags/:code/unlink', {
    config: { access: 'scans.unlink' },
    schema: { hide: true, params: Params, body: Type.Object({ parent: Code, ...Reason, ...Csrf }) },
    handler: (req, reply) =>
      run(
        req,
        reply,
        (r) => back(r.removed.code, 'unlinked'),
        () =>
          undoLink(app.ctx, requireActor(req), {
            parentCode: req.body.parent,
            code: req.params.code,
            reason: req.body.reason,
            requireReason: true,
          }),
      ),
  });

  app.post('/bags/:code/move', {
    config: { access: 'scans.unlink' },
    schema: { hide: true, params: Params, body: Type.Object({ to: Code, ...Reason, ...Csrf }) },
    handler: (req, reply) =>
      run(
        req,
        reply,
        (r) => back(r.child.code, 'moved'),
        () => moveChild(app.ctx, requireActor(req), req.params.code, { to: req.body.to, reason: req.body.reason }),
      ),
  });

  app.post('/bags/:code/reopen', {
    config: { access: 'bags.reopen' },
    schema: { hide: true, params: Params, body: Type.Object({ ...Reason, ...Csrf }) },
    handler: (req, reply) =>
      run(
        req,
        reply,
        (r) => back(r.code, 'reopened'),
        () => reopenParent(app.ctx, requireActor(req), req.params.code, { reason: req.body.reason, requireReason: true }),
      ),
  });

  app.post('/bags/:code/delete', {
    config: { access: 'bags.delete' },
    schema: { hide: true, params: Params, body: Type.Object({ ...Reason, confirm: Type.Literal('yes'), ...Csrf }) },
    handler: (req, reply) =>
      run(
        req,
        reply,
        () => '/bags?done=deleted',
        () => deleteBag(app.ctx, requireActor(req), req.params.code, { reason: req.body.reason, requireReason: true }),
      ),
  });
}
