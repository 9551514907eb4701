/**
 * Keeps a bill's child counters exact when a child joins or leaves a parent that is already on
 * the bill (child scans, undos and named unlinks in domain/scans/child-scan.service.ts and undo.service.ts). The caller
 * holds the parent lock and — through lockBagByCode — the bill lock (parent, then bill), and
 * calls this in the same transaction, right after the parent's own count moved.
 */
import type { BagRecord } from '../bags/bag.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { adjustBill } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import { childUnitKg } from './bill.js';

export async function billChildrenChanged(tx: Tx, parent: Pick<BagRecord, 'billId'>, delta: 1 | -1, now: Date): Promise<void> {
  if (parent.billId === null) return;
  await billChildrenMoved(tx, new Map([[parent.billId, delta]]), now);
}

/**
 * Children joined (positive) or left (negative) parents on these bills: each bill's child count
 * and actual weight move by that many child units. Bills are adjusted in billId order (an import
 * chunk moves several at once), and a net zero leaves a bill alone.
 */
export async function billChildrenMoved(tx: Tx, perBill: ReadonlyMap<string, number>, now: Date): Promise<void> {
  const moved = [...perBill].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b));
  if (!moved.length) return;
  const unit = childUnitKg(await listBagKinds(tx));
  for (const [billId, n] of moved) await adjustBill(tx, { billId }, { parents: 0, children: n, actualKg: n * unit, expectedKg: 0 }, now);
}
