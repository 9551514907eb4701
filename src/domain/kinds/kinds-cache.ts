/**
 * The bag kinds as the scan rules see them, kept in the process for a moment. Every scan
 * classifies its code against the kinds; reading three rows of reference data in every scan
 * transaction was one of its nine database round trips. An edit through this process
 * (kinds.service.ts) applies to the next scan; an edit made by another process (a second worker,
 * or SQL by hand) applies within FRESH_MS. Bill weights do not use this cache: they read the
 * kinds inside their own transaction, so a bill's counters always agree with `tracetrack check`.
 */
import type { BagKind } from '../codes.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import type { Executor } from '../../storage/database.js';

export const KINDS_FRESH_MS = 2_000;

export class KindsCache {
  private kinds: BagKind[] | undefined;
  private readAt = 0;

  /** `now` is a monotonic millisecond clock; tests pass their own to step past the window. */
  constructor(
    private readonly freshMs = KINDS_FRESH_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async list(ex: Executor): Promise<BagKind[]> {
    if (this.kinds && this.now() - this.readAt < this.freshMs) return this.kinds;
    const started = this.now();
    const kinds = await listBagKinds(ex);
    this.kinds = kinds;
    this.readAt = started;
    return kinds;
  }

  /** After an edit: the next scan reads the kinds again. */
  forget(): void {
    this.kinds = undefined;
  }
}
