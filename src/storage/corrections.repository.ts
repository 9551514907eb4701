/**
 * Locks for a supervisor's move of a child between two parents (domain/bags/corrections.service).
 * Both parents are locked in one statement, in id order, and only then their bills, in id order:
 * two moves in opposite directions take their locks in the same order, and no bill is locked
 * before a parent (the parent-then-bill order of docs/decisions/0012), so a move cannot deadlock
 * with a scan, a bill link or another move.
 */
import type { BagRecord } from '../domain/bags/bag.js';
import type { Tx } from './database.js';
import { selectBag, toBag } from './bags.repository.js';

/** The named bags, locked (FOR UPDATE), with the completed-ness of their bills read under a lock. */
export async function lockBagsForMove(tx: Tx, codes: readonly string[]): Promise<Map<string, BagRecord>> {
  const rows = await selectBag(tx)
    .where('b.code', 'in', [...codes])
    .orderBy('b.id')
    .forUpdate('b')
    .execute();
  const billIds = [...new Set(rows.map((r) => r.bill_id).filter((id): id is NonNullable<typeof id> => id !== null))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const status = new Map<string, string>();
  for (const id of billIds) {
    const bill = await tx.selectFrom('bills').select('status').where('id', '=', id).forNoKeyUpdate().executeTakeFirstOrThrow();
    status.set(String(id), bill.status);
  }
  return new Map(
    rows.map((r) => [r.code, toBag(r.bill_id === null ? r : { ...r, bill_status: status.get(String(r.bill_id)) ?? r.bill_status })]),
  );
}
