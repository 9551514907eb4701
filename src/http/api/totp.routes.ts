/**
 * Own two-factor login (admins): GET /api/auth/totp · POST /api/auth/totp/setup ·
 * POST /api/auth/totp/confirm · POST /api/auth/totp/disable · POST /api/auth/totp/backup-codes
 */
import { Type } from 'typebox';
import QRCode from 'qrcode';
import type { App } from '../../app.js';
import {
  beginTotpSetup,
  confirmTotpSetup,
  disableOwnTotp,
  regenerateBackupCodes,
  totpStatus,
  type TotpSetup,
} from '../../domain/auth/totp.service.js';
import { requireActor } from '../plugins/auth.js';
import { BackupCodesSchema, TotpSetupSchema, TotpStatusSchema } from '../schemas/admin.schemas.js';
import { errorResponses } from '../schemas/common.js';

const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

/** The otpauth URI as an SVG QR code in a data URL (CSP allows data: images, not inline script). */
export async function qrDataUrl(setup: TotpSetup): Promise<string> {
  const svg = await QRCode.toString(setup.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

export default async function totpRoutes(app: App) {
  app.get('/api/auth/totp', {
    config: { access: 'totp.manage' },
    schema: { tags: ['auth'], response: { 200: TotpStatusSchema, ...errorResponses } },
    handler: (req) => totpStatus(app.ctx, requireActor(req).userId),
  });

  app.post('/api/auth/totp/setup', {
    config: { access: 'totp.manage' },
    schema: { tags: ['auth'], response: { 200: TotpSetupSchema, ...errorResponses } },
    handler: async (req, reply) => {
      const setup = await beginTotpSetup(app.ctx, requireActor(req));
      reply.header('cache-control', 'no-store');
      return { ...setup, qrSvgDataUrl: await qrDataUrl(setup) };
    },
  });

  app.post('/api/auth/totp/confirm', {
    config: { access: 'totp.manage' },
    schema: {
      tags: ['auth'],
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false }),
      response: { 200: BackupCodesSchema, ...errorResponses },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return confirmTotpSetup(app.ctx, requireActor(req), req.body.code);
    },
  });

  app.post('/api/auth/totp/disable', {
    config: { access: 'totp.manage' },
    schema: { tags: ['auth'], body: PasswordBody, response: { 204: Type.Null(), ...errorResponses } },
    handler: async (req, reply) => {
      await disableOwnTotp(app.ctx, requireActor(req), req.body.password);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/auth/totp/backup-codes', {
    config: { access: 'totp.manage' },
    schema: { tags: ['auth'], body: PasswordBody, response: { 200: BackupCodesSchema, ...errorResponses } },
    handler: async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return regenerateBackupCodes(app.ctx, requireActor(req), req.body.password);
    },
  });
}
