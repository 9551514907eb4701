/**
 * The audit browser (admins): who did what, when, from where, filtered and keyset-paged, and a
 * CSV export that walks the same pages so it never holds the whole history in memory.
 */
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import type { HistoryEvent } from './event.js';
import { queryAudit, type AuditQuery } from '../../storage/audit.repository.js';
import { findCredentialsByUsername } from '../../storage/users.repository.js';

export interface AuditFilter {
  /** A username or a user id. */
  actor?: string | undefined;
  /** An action ("login") or a prefix ending in "*" ("user.*"). */
  action?: string | undefined;
  subject?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Scan attempts are left out unless asked for (or the action filter names them). */
  includeScans?: boolean | undefined;
  /** One area's events only (a dispatcher's export). */
  area?: string | undefined;
}

export interface AuditPage {
  items: HistoryEvent[];
  nextCursor: string | null;
}

export const MAX_AUDIT_PAGE = 200;

async function toQuery(ctx: Ctx, f: AuditFilter): Promise<Omit<AuditQuery, 'limit' | 'beforeId'>> {
  if (f.from && f.to && f.from >= f.to) throw new DomainError('validation_failed', '"from" must be before "to"');
  const q: Omit<AuditQuery, 'limit' | 'beforeId'> = {
    from: f.from,
    to: f.to,
    subject: f.subject || undefined,
    includeScans: Boolean(f.includeScans),
    areaId: f.area,
  };
  const action = f.action?.trim();
  if (action) {
    if (action.endsWith('*')) q.actionPrefix = action.slice(0, -1);
    else q.action = action;
    if (action.startsWith('scan')) q.includeScans = true;
  }
  const actor = f.actor?.trim();
  if (actor) {
    if (/^\d{1,18}$/.test(actor)) q.actorId = actor;
    else {
      const user = await findCredentialsByUsername(ctx.db, actor);
      if (user) q.actorId = user.id;
      else q.actorName = actor;
    }
  }
  return q;
}

export async function listAudit(
  ctx: Ctx,
  f: AuditFilter,
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<AuditPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_AUDIT_PAGE);
  if (page.cursor !== undefined && !/^\d{1,18}$/.test(page.cursor)) throw new DomainError('validation_failed', 'Bad cursor');
  const rows = await queryAudit(ctx.db, { ...(await toQuery(ctx, f)), beforeId: page.cursor, limit: limit + 1 });
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Every matching event, newest first, fetched a page at a time. */
/**
 * Every event of a filter, in keyset pages as the caller reads. The filter is checked before
 * the first page (a bad one throws here, not mid-stream, where a streamed answer could only be
 * cut off: found by the fuzz suite).
 */
export async function auditEvents(ctx: Ctx, f: AuditFilter, pageSize = 1000): Promise<AsyncGenerator<HistoryEvent>> {
  const base = await toQuery(ctx, f);
  return (async function* pages() {
    let beforeId: string | undefined;
    for (;;) {
      const rows = await queryAudit(ctx.db, { ...base, beforeId, limit: pageSize });
      for (const r of rows) yield r;
      if (rows.length < pageSize) return;
      beforeId = rows[rows.length - 1]!.id;
    }
  })();
}
