/** A bill as a search answer lists it (SPEC §6): enough to pick it, not the whole bill. */
import type { BillStatus } from '../bills/bill.js';

export interface BillHit {
  billId: string;
  status: BillStatus;
  capacity: number;
  parentCount: number;
  createdAt: Date;
}
