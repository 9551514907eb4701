/**
 * Admin edits of bag kinds (the read side, used by every scan, is bag-kinds.repository.ts).
 * Scans read the kinds inside their own transaction, so a committed edit applies from the
 * next scan on; bags already created keep the capacity they were created with.
 */
import { sql } from 'kysely';
import type { BagKind } from '../domain/codes.js';
import type { Executor, Tx } from './database.js';
import { toKind } from './bag-kinds.repository.js';

export async function lockBagKind(tx: Tx, id: string): Promise<BagKind | undefined> {
  const r = await tx.selectFrom('bag_kinds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return r && toKind(r);
}

export interface BagKindChanges {
  name?: string;
  pattern?: string;
  capacity?: number;
  expectedWeightKg?: number;
  active?: boolean;
}

export async function updateBagKind(tx: Tx, id: string, c: BagKindChanges): Promise<BagKind> {
  const r = await tx
    .updateTable('bag_kinds')
    .set({
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.pattern !== undefined ? { pattern: c.pattern } : {}),
      ...(c.capacity !== undefined ? { capacity: c.capacity } : {}),
      ...(c.expectedWeightKg !== undefined ? { expected_weight_kg: c.expectedWeightKg } : {}),
      ...(c.active !== undefined ? { active: c.active } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toKind(r);
}

/**
 * Does PostgreSQL accept the pattern as a regular expression? Run outside any transaction: a
 * failing statement would abort the caller's transaction on PostgreSQL.
 */
export async function isPostgresRegex(ex: Executor, pattern: string): Promise<boolean> {
  try {
    await sql`select '' ~ ${pattern} as m`.execute(ex);
    return true;
  } catch {
    return false;
  }
}
