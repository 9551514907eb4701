/**
 * The parents this process linked a child into last, as its write left them, row version
 * included (issue 14, docs/decisions/0032). A station fills one parent scan after scan, so the
 * next child scan into it can skip its read: the rules run on the parent as remembered and a new
 * child, and the write applies only if the parent's row is still that version and the code still
 * free — else it answers 'changed' and the scan reads and decides as always. A remembered parent
 * is a guess the write checks, never an answer: only a link is ever decided on it.
 *
 * A parent whose guess missed because it changed (another process or user wrote it) is not
 * remembered again for MISS_BACKOFF_MS, so two processes taking turns on one parent do not pay a
 * wasted write each. A guess that missed on the child's code (a double scan) only forgets it:
 * the retry reads, and the scan after it is remembered again.
 */
/** Parents remembered at most; the oldest written goes first. */
export const KNOWN_PARENTS_MAX = 4096;
const MISS_BACKOFF_MS = 30_000;

/** A parent as read or written: its code names it (scans.repository.ts's ReadBag). */
export class KnownParents<Parent extends { code: string }> {
  private readonly parents = new Map<string, Parent>();
  private readonly missedAt = new Map<string, number>();
  /** Every parent handed out as remembered: a link decided on one of them is a guess. */
  private readonly remembered = new WeakSet<Parent>();
  /** Child links decided on a remembered parent (used), and those that wrote nothing (missed). */
  readonly stats = { used: 0, missed: 0 };

  constructor(private readonly max = KNOWN_PARENTS_MAX) {}

  /** The parent `code` as this process's last link into it left it. */
  get(code: string | null): Parent | undefined {
    return code === null ? undefined : this.parents.get(code);
  }

  /**
   * A child link into `parent` answered: 'done', remember the parent as `after` left it;
   * otherwise forget it (the retry reads), and if the link was a guess and the parent itself
   * had changed ('changed', not 'child changed'), do not guess on it for a while.
   */
  linked(parent: Parent, result: 'done' | 'changed' | 'child changed' | 'taken', after: Parent | undefined): void {
    const guessed = this.remembered.has(parent);
    if (guessed) this.stats.used++;
    if (result === 'done') {
      if (after) this.remember(after);
      return;
    }
    if (result === 'taken') return; // rolled back: the parent is as it was
    this.parents.delete(parent.code);
    if (!guessed) return;
    this.stats.missed++;
    if (result === 'changed') this.missedAt.set(parent.code, performance.now());
    if (this.missedAt.size > this.max) this.missedAt.delete(this.missedAt.keys().next().value!);
  }

  private remember(parent: Parent): void {
    const missed = this.missedAt.get(parent.code);
    if (missed !== undefined) {
      if (performance.now() - missed < MISS_BACKOFF_MS) return;
      this.missedAt.delete(parent.code);
    }
    this.parents.delete(parent.code); // re-inserted last: the Map's order is the order of writes
    this.parents.set(parent.code, parent);
    this.remembered.add(parent);
    if (this.parents.size > this.max) this.parents.delete(this.parents.keys().next().value!);
  }
}
