/**
 * The contains-search index's pending list (migration 0019, docs/decisions/0031): new codes wait
 * there until merged into the trigram GIN. One process merges at a time: an advisory lock, held
 * for the one statement, lets the others skip rather than queue behind it.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

/** Advisory lock key of the merge (the migrator's is 727_001). */
export const MERGE_LOCK = 727_002;

/** Merges the pending list now: the pages it held, or null when another process is merging it. */
export async function mergeSearchIndexPending(db: Db): Promise<number | null> {
  const { rows } = await sql<{ pages: number | null }>`
    select case when pg_try_advisory_xact_lock(${MERGE_LOCK}) then gin_clean_pending_list('bags_code_trgm_idx'::regclass) end as pages`.execute(
    db,
  );
  const pages = rows[0]?.pages;
  return pages === null || pages === undefined ? null : Number(pages);
}
