/** Look-up test helpers: many bags at once (set-based, as an import would), JSON error codes. */
import { sql } from 'kysely';
import type { App } from '../../src/app.js';

/**
 * Inserts n unlinked child bags C{prefix}{i} (i = 1..n, zero-padded) in one statement, all with
 * the same created_at: keyset pages must then order them by id alone.
 */
export async function insertChildren(
  app: App,
  n: number,
  o: { prefix?: string; area?: string; createdBy?: string | null; at?: Date } = {},
) {
  const prefix = o.prefix ?? 'K';
  await sql`
    insert into bags (code, type, kind_id, area_id, status, created_by, created_at, updated_at)
    select ${prefix} || lpad(g::text, 6, '0'), 'child', 'CHILD', ${o.area ?? 'lucknow'}, 'unlinked', ${o.createdBy ?? null}::int8,
           ${o.at ?? new Date()}::timestamptz, now()
    from generate_series(1, ${n}) g`.execute(app.ctx.db);
}

export const errorCode = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;
