/** Domain objects of the administration features → API shapes (camelCase, ISO times). */
import type { HistoryEvent } from '../domain/audit/event.js';
import type { OwnSession } from '../domain/auth/sessions.service.js';
import type { UserActivity } from '../domain/users/activity.service.js';

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
  user: { id: a.user.id, username: a.user.username, role: a.user.role, area: a.user.areaId, lastLoginAt: a.user.lastLoginAt?.toISOString() ?? null },
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
