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
