/**
 * Keeps the contains-search index's pending list short, off the scan path (issue 14,
 * docs/decisions/0031). Every SEARCH_INDEX_MERGE_MS each process asks for the list to be merged
 * into the index, in a statement of its own; one process merges at a time (the others skip),
 * a process never has two merges in flight, and a merge that fails is counted and tried again
 * at the next tick (logged the first time and every LOG_EVERY_FAILURES-th after, not every second). Without it the scan whose new code fills the list merges it.
 */
import type { Ctx } from '../context.js';
import { mergeSearchIndexPending } from '../../storage/search-index.repository.js';

/** A merge that keeps failing (say, a role that does not own the index) is logged this rarely. */
export const LOG_EVERY_FAILURES = 60;

export interface SearchIndexMergeStats {
  /** Merges this process ran, and the pending-list pages they merged. */
  merges: number;
  pagesMerged: number;
  /** Ticks where another process was merging. */
  skipped: number;
  failures: number;
}

export class SearchIndexMerges {
  readonly stats: SearchIndexMergeStats = { merges: 0, pagesMerged: 0, skipped: 0, failures: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: Ctx,
    /** 0: never (the scans merge the list when it is full, as before 0019). */
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.everyMs > 0 && !this.timer) this.timer = setInterval(() => this.tick(), this.everyMs).unref();
  }

  /** Waits for a merge in flight, so the database is not closed under it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.mergeNow()
      .then(
        () => {},
        (err: unknown) => {
          this.stats.failures++;
          if (this.stats.failures % LOG_EVERY_FAILURES === 1) this.onError(err);
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One merge now: the pages merged, or null when another process was merging. */
  async mergeNow(): Promise<number | null> {
    const pages = await mergeSearchIndexPending(this.ctx.db);
    if (pages === null) this.stats.skipped++;
    else {
      this.stats.merges++;
      this.stats.pagesMerged += pages;
    }
    return pages;
  }
}
