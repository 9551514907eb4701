/**
 * Response and request schemas of the administration API (audit, sessions, 2FA, settings,
 * activity), each beside the presenter that turns a domain object into it (camelCase, ISO times).
 */
import { Type } from 'typebox';
import type { HistoryEvent } from '../../domain/audit/event.js';
import type { OwnSession } from '../../domain/auth/sessions.service.js';
import type { UserActivity } from '../../domain/users/activity.service.js';
import { DateTime, Nullable } from './common.js';

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: DateTime,
  actorId: Nullable(Type.String()),
  actor: Nullable(Type.String()),
  action: Type.String(),
  outcome: Type.String(),
  subject: Nullable(Type.String()),
  related: Nullable(Type.String()),
  area: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  station: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  details: Nullable(Type.Object({}, { additionalProperties: true })),
});

export const AuditQuerySchema = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 64 })),
    subject: Type.Optional(Type.String({ maxLength: 300 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    includeScans: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const OwnSessionSchema = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  createdAt: DateTime,
  lastSeenAt: DateTime,
});

export const TotpStatusSchema = Type.Object({ enabled: Type.Boolean(), pending: Type.Boolean(), backupCodesLeft: Type.Integer() });
export const TotpSetupSchema = Type.Object({ secret: Type.String(), uri: Type.String(), qrSvgDataUrl: Type.String() });
export const BackupCodesSchema = Type.Object({ backupCodes: Type.Array(Type.String()) });

export const SettingsSchema = Type.Object({ requireAdminTotp: Type.Boolean() });

export const ActivitySchema = Type.Object({
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    role: Type.String(),
    area: Nullable(Type.String()),
    lastLoginAt: Nullable(DateTime),
  }),
  scansToday: Type.Integer(),
  scans7Days: Type.Integer(),
  days: Type.Array(Type.Object({ day: Type.String(), accepted: Type.Integer(), refused: Type.Integer() })),
  recent: Type.Array(
    Type.Object({
      at: DateTime,
      action: Type.String(),
      outcome: Type.String(),
      code: Nullable(Type.String()),
      parentCode: Nullable(Type.String()),
      area: Nullable(Type.String()),
      station: Nullable(Type.String()),
    }),
  ),
});

export const presentEvent = (e: HistoryEvent) => ({
  id: e.id,
  at: e.at.toISOString(),
  actorId: e.actorId,
  actor: e.actorName,
  action: e.action,
  outcome: e.outcome,
  subject: e.subject,
  related: e.related,
  area: e.areaId,
  ip: e.ip,
  station: e.station,
  requestId: e.requestId,
  details: e.details,
});

export const presentOwnSession = (s: OwnSession) => ({
  id: s.handle,
  current: s.current,
  ip: s.ip,
  userAgent: s.userAgent,
  createdAt: s.createdAt.toISOString(),
  lastSeenAt: s.lastSeenAt.toISOString(),
});

export const presentActivity = (a: UserActivity) => ({
  user: {
    id: a.user.id,
    username: a.user.username,
    role: a.user.role,
    area: a.user.areaId,
    lastLoginAt: a.user.lastLoginAt?.toISOString() ?? null,
  },
  scansToday: a.scansToday,
  scans7Days: a.scans7Days,
  days: a.days,
  recent: a.recent.map((r) => ({
    at: r.at.toISOString(),
    action: r.action,
    outcome: r.outcome,
    code: r.subject,
    parentCode: r.related,
    area: r.areaId,
    station: r.station,
  })),
});
