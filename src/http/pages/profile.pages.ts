/**
 * /profile (everyone logged in): change own password, see and end own sessions; /profile/2fa
 * (admins): set up, confirm, manage and turn off two-factor login. Same use cases as the API.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { endOtherSessions, endOwnSession, listOwnSessions } from '../../domain/auth/sessions.service.js';
import {
  beginTotpSetup,
  confirmTotpSetup,
  disableOwnTotp,
  pendingTotpSetup,
  regenerateBackupCodes,
  totpStatus,
} from '../../domain/auth/totp.service.js';
import { can } from '../../domain/permissions.js';
import { loadSettings, mustEnrolTotp } from '../../domain/settings/settings.service.js';
import { setPassword } from '../../domain/users/users.service.js';
import { qrDataUrl } from '../api/totp.routes.js';
import { SESSION_COOKIE, requireActor } from '../plugins/auth.js';
import { act, Csrf, Done } from './form-action.js';
import { frameOf } from './frame.js';
import { profileView } from './views/profile.view.js';
import { backupCodesView, totpView } from './views/totp.view.js';

type Flash = { kind: 'ok' | 'error'; text: string } | undefined;
const DONE: Record<string, string> = {
  password: 'Password changed; your other sessions have ended.',
  ended: 'Session ended.',
  others: 'All your other sessions have ended.',
  disabled: 'Two-factor login is off.',
  started: 'Scan the QR code, then enter the code the app shows.',
};
const doneFlash = (done: string | undefined): Flash => (done && DONE[done] ? { kind: 'ok', text: DONE[done] } : undefined);

export default async function profilePages(app: App) {
  async function renderProfile(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    const actor = requireActor(req);
    const sessions = await listOwnSessions(app.ctx, actor, req.sessionId);
    const totp = can(actor, 'totp.manage') ? await totpStatus(app.ctx, actor.userId) : undefined;
    return reply.page(
      profileView(frameOf(req, reply, 'Profile', { flash }), { sessions, totp, timeZone: app.config.displayTimezone }),
      status,
    );
  }
  async function renderTotp(req: FastifyRequest, reply: FastifyReply, flash?: Flash, status = 200) {
    const actor = requireActor(req);
    const [state, setup, settings] = await Promise.all([
      totpStatus(app.ctx, actor.userId),
      pendingTotpSetup(app.ctx, actor),
      loadSettings(app.ctx),
    ]);
    const shown = setup && { ...setup, qr: await qrDataUrl(setup) };
    reply.header('cache-control', 'no-store');
    return reply.page(
      totpView(frameOf(req, reply, 'Two-factor login', { flash }), state, shown, mustEnrolTotp(req.user!, settings)),
      status,
    );
  }
  /** Post/Redirect/Get on success; the page again with the reason when refused. */
  const done = (req: FastifyRequest, reply: FastifyReply, render: typeof renderProfile, run: () => Promise<string | void>) =>
    act(reply, run, { next: (target) => target || undefined, refused: (flash, status) => render(req, reply, flash, status) });

  app.get('/profile', {
    config: { access: 'session.use' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderProfile(req, reply, doneFlash(req.query.done)),
  });

  app.post('/profile/password', {
    config: { access: 'session.use' },
    schema: {
      hide: true,
      body: Type.Object({ currentPassword: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }), ...Csrf }),
    },
    handler: (req, reply) =>
      done(req, reply, renderProfile, async () => {
        const actor = requireActor(req);
        await setPassword(
          app.ctx,
          actor,
          actor.userId,
          { password: req.body.password, currentPassword: req.body.currentPassword },
          req.sessionId ?? undefined,
        );
        return '/profile?done=password';
      }),
  });

  app.post('/profile/sessions/:id/end', {
    config: { access: 'session.use' },
    schema: {
      hide: true,
      params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }),
      body: Type.Optional(Type.Object(Csrf)),
    },
    handler: (req, reply) =>
      done(req, reply, renderProfile, async () => {
        const { wasCurrent } = await endOwnSession(app.ctx, requireActor(req), req.params.id, req.sessionId);
        if (!wasCurrent) return '/profile?done=ended';
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return '/login';
      }),
  });

  app.post('/profile/sessions/end-others', {
    config: { access: 'session.use' },
    schema: { hide: true, body: Type.Optional(Type.Object(Csrf)) },
    handler: (req, reply) =>
      done(req, reply, renderProfile, async () => {
        await endOtherSessions(app.ctx, requireActor(req), req.sessionId);
        return '/profile?done=others';
      }),
  });

  app.get('/profile/2fa', {
    config: { access: 'totp.manage' },
    schema: { hide: true, querystring: Done },
    handler: (req, reply) => renderTotp(req, reply, doneFlash(req.query.done)),
  });

  app.post('/profile/2fa/setup', {
    config: { access: 'totp.manage' },
    schema: { hide: true, body: Type.Optional(Type.Object(Csrf)) },
    handler: (req, reply) =>
      done(req, reply, renderTotp, async () => {
        await beginTotpSetup(app.ctx, requireActor(req));
        return '/profile/2fa?done=started';
      }),
  });

  // Answers the backup codes page itself (200): the codes are shown once and never stored in clear.
  app.post('/profile/2fa/confirm', {
    config: { access: 'totp.manage' },
    schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 16 }), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, renderTotp, async () => {
        const { backupCodes } = await confirmTotpSetup(app.ctx, requireActor(req), req.body.code);
        req.user = { ...req.user!, totpEnabled: true };
        reply.header('cache-control', 'no-store').page(backupCodesView(frameOf(req, reply, 'Backup codes'), backupCodes));
      }),
  });

  app.post('/profile/2fa/backup-codes', {
    config: { access: 'totp.manage' },
    schema: { hide: true, body: Type.Object({ password: Type.String({ maxLength: 200 }), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, renderTotp, async () => {
        const { backupCodes } = await regenerateBackupCodes(app.ctx, requireActor(req), req.body.password);
        reply.header('cache-control', 'no-store').page(backupCodesView(frameOf(req, reply, 'Backup codes'), backupCodes));
      }),
  });

  app.post('/profile/2fa/disable', {
    config: { access: 'totp.manage' },
    schema: { hide: true, body: Type.Object({ password: Type.String({ maxLength: 200 }), ...Csrf }) },
    handler: (req, reply) =>
      done(req, reply, renderTotp, async () => {
        await disableOwnTotp(app.ctx, requireActor(req), req.body.password);
        return '/profile/2fa?done=disabled';
      }),
  });
}
