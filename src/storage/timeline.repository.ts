/**
 * History reads for look-up screens: the timeline of one bag or bill (every event naming it as
 * subject or related, newest first) and the recent scans of the dashboard. Each is a keyset
 * walk down an index of migrations 0002/0005, never a scan of the history table.
 */
import { sql, type Selectable, type SqlBool } from 'kysely';
import type { HistoryEvent } from '../domain/audit/event.js';
import type { Executor } from './database.js';
import { toEvent } from './events.repository.js';
import type { EventsTable } from './tables.js';

/**
 * Events about `name` (a bag code, or a bill id), newest first, older than `beforeId`. Two
 * index range scans (subject, related), each stopping at `limit`, merged: a bag with a long
 * history costs the same as one with a short one.
 */
export async function eventsAbout(ex: Executor, name: string, beforeId: string | undefined, limit: number): Promise<HistoryEvent[]> {
  const before = beforeId === undefined ? sql<SqlBool>`true` : sql<SqlBool>`id < ${beforeId}::int8`;
  // "subject = related" rows (a parent scanned into itself) are already in the first branch.
  const { rows } = await sql<Selectable<EventsTable>>`
    select * from (
      (select * from events where subject = ${name} and ${before} order by id desc limit ${limit})
      union all
      (select * from events where related = ${name} and subject is distinct from ${name} and ${before} order by id desc limit ${limit})
    ) e
    order by id desc limit ${limit}`.execute(ex);
  return rows.map(toEvent);
}

export const SCAN_ACTIONS_SQL = sql<SqlBool>`action in ('scan.parent', 'scan.child')`;

/** The latest scan attempts (accepted or refused), of one area or all; events_scans_* indexes. */
export async function recentScans(ex: Executor, area: string | null, limit: number): Promise<HistoryEvent[]> {
  let s = ex.selectFrom('events').selectAll().where(SCAN_ACTIONS_SQL);
  if (area !== null) s = s.where('area_id', '=', area);
  const rows = await s.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEvent);
}
