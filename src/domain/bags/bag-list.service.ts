/**
 * The bag list (SPEC §5): filters, keyset pages of up to 200, no page-depth limit and no
 * count of the table (a page says whether there is a next one through nextCursor; totals come
 * from the dashboard counters). A dispatcher's list is their area's, silently: asking for
 * another area gives their own, as if the filter were not there.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { assertCan } from '../permissions.js';
import { scopedArea } from '../areas/area-scope.js';
import { normaliseCode, type BagType } from '../codes.js';
import type { Bag, BagStatus } from './bag.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { listBags as listBagRows } from '../../storage/bag-list.repository.js';
import { findCredentialsByUsername } from '../../storage/users.repository.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface BagListFilter {
  type?: BagType | undefined;
  area?: string | undefined;
  status?: BagStatus | undefined;
  linked?: boolean | undefined;
  billed?: boolean | undefined;
  /** Scanned (created) by: a username or a user id. */
  user?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Any part of a code, normalised like a scan. */
  q?: string | undefined;
}

export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);

/** The user id a "scanned by" filter names, or null when nobody has that name (empty list). */
async function userIdOf(ctx: Ctx, user: string | undefined): Promise<string | null | undefined> {
  const name = user?.trim();
  if (!name) return undefined;
  if (/^\d{1,18}$/.test(name)) return name;
  return (await findCredentialsByUsername(ctx.db, name))?.id ?? null;
}

/** `maxPage`: an export walks the list in longer pages than a screen shows (exports.service.ts). */
export async function listBags(ctx: Ctx, actor: Actor, f: BagListFilter, page: PageRequest = {}, maxPage = MAX_PAGE): Promise<Page<Bag>> {
  assertCan(actor, 'bags.read');
  const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE, 1), maxPage);
  if (f.from && f.to && f.from >= f.to) throw new DomainError('validation_failed', '"from" must be before "to"');
  let after: { createdUs: number; id: string } | undefined;
  if (page.cursor !== undefined) {
    const parts = decodeCursor(page.cursor, ['int', 'int'] as const);
    if (!parts) throw new DomainError('validation_failed', 'Bad cursor: pass back the nextCursor of the previous page');
    after = { createdUs: parts[0], id: String(parts[1]) };
  }
  const createdBy = await userIdOf(ctx, f.user);
  if (createdBy === null) return { items: [], nextCursor: null };
  const q = f.q?.trim() ? normaliseCode(f.q) : undefined;
  const rows = await listBagRows(ctx.db, {
    type: f.type,
    area: scopedArea(actor) ?? f.area,
    status: f.status,
    linked: f.linked,
    billed: f.billed,
    createdBy,
    from: f.from,
    to: f.to,
    q,
    after,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => r.bag),
    nextCursor: rows.length > limit && last ? encodeCursor([last.key.createdUs, Number(last.key.id)]) : null,
  };
}
