/** The append-only history. There is deliberately no update or delete function here. */
import type { Insertable, Selectable } from 'kysely';
import { scrub, type EventSource, type HistoryEvent, type NewEvent } from '../domain/audit/event.js';
import type { Executor } from './database.js';
import type { EventsTable } from './tables.js';

export async function appendEvent(ex: Executor, source: EventSource, e: NewEvent, at: Date): Promise<void> {
  await ex
    .insertInto('events')
    .values(eventRow(source, e, at))
    .execute();
}

/** The stored row of one event (shared with the scan-attempt record, scan-requests.repository.ts). */
export function eventRow(source: EventSource, e: NewEvent, at: Date): Insertable<EventsTable> {
  return {
    at,
    actor_id: source.userId,
    actor_name: source.username,
    action: e.action,
    outcome: e.outcome,
    subject: e.subject ?? null,
    related: e.related ?? null,
    area_id: e.areaId ?? null,
    ip: source.ip ?? null,
    station: source.station ?? null,
    request_id: source.requestId ?? null,
    details: e.details ? JSON.stringify(scrub(e.details)) : null,
  };
}

/** Row → HistoryEvent: the one mapping every history read uses. */
export const toEvent = (r: Selectable<EventsTable>): HistoryEvent => ({
  id: String(r.id),
  at: r.at,
  actorId: r.actor_id === null ? null : String(r.actor_id),
  actorName: r.actor_name,
  action: r.action,
  outcome: r.outcome,
  subject: r.subject,
  related: r.related,
  areaId: r.area_id,
  ip: r.ip,
  station: r.station,
  requestId: r.request_id,
  details: (r.details as Record<string, unknown> | null) ?? null,
});

export interface EventFilter {
  actorId?: string;
  action?: string;
  subject?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: only events with a smaller id. */
  beforeId?: string;
  limit: number;
}

/** Newest first, keyset-paged by id. */
export async function listEvents(ex: Executor, f: EventFilter): Promise<HistoryEvent[]> {
  let q = ex.selectFrom('events').selectAll().orderBy('id', 'desc').limit(f.limit);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.subject) q = q.where('subject', '=', f.subject);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return (await q.execute()).map(toEvent);
}
