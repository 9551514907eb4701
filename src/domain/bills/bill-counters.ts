/**
 * Keeps a bill's child counters exact when a child joins or leaves a parent that is already on
 * the bill (child scans, undos and named unlinks in domain/scans/scans.service.ts). The caller
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
  const unit = childUnitKg(await listBagKinds(tx));
  await adjustBill(tx, { billId: parent.billId }, { parents: 0, children: delta, actualKg: delta * unit, expectedKg: 0 }, now);
}
