/**
 * Audit browser queries over the history table. Without an explicit scan action filter the two
 * scan actions (the bulk of the table) are left out, which lets the partial indexes of
 * migration 0004 serve the newest-first keyset pages.
 */
import { sql } from 'kysely';
import type { HistoryEvent } from '../domain/audit/event.js';
import type { Executor } from './database.js';
import { toEvent } from './events.repository.js';

export const SCAN_ACTIONS = ['scan.parent', 'scan.child'] as const;

export interface AuditQuery {
  actorId?: string | undefined;
  /** For attempts with no user row (a failed login with an unknown name). */
  actorName?: string | undefined;
  action?: string | undefined;
  /** Matches every action starting with this text ("user." → user.create, user.update…). */
  actionPrefix?: string | undefined;
  subject?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  includeScans: boolean;
  areaId?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first, keyset-paged by id. */
export async function queryAudit(ex: Executor, q: AuditQuery): Promise<HistoryEvent[]> {
  let s = ex.selectFrom('events').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.actorId) s = s.where('actor_id', '=', q.actorId);
  if (q.actorName) s = s.where('actor_id', 'is', null).where(sql<string>`lower(actor_name)`, '=', q.actorName.toLowerCase());
  if (q.action) s = s.where('action', '=', q.action);
  if (q.actionPrefix) s = s.where('action', 'like', `${q.actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (q.subject) s = s.where('subject', '=', q.subject);
  if (q.areaId) s = s.where('area_id', '=', q.areaId);
  if (q.from) s = s.where('at', '>=', q.from);
  if (q.to) s = s.where('at', '<', q.to);
  // Written exactly as the partial indexes' predicate, so the planner can use them.
  if (!q.includeScans) s = s.where(sql<boolean>`action not in ('scan.parent', 'scan.child')`);
  if (q.beforeId) s = s.where('id', '<', q.beforeId);
  return (await s.execute()).map(toEvent);
}
