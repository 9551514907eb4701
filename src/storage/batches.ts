/**
 * One kind of database call (a scan's read, a scan's write), made for several requests at once
 * when they pile up (issue 14, docs/decisions/0030): at most `slots` calls run at once; an item
 * that finds a slot free goes at once, alone, and items that arrive while every slot is busy wait
 * in order and leave together in the next call (up to `max`). Nothing waits on a timer while
 * calls are quick, so a quiet floor sees no delay, and a busy one pays one round trip (and for
 * writes one commit) per call instead of per item. A call still running after `stallMs` (waiting
 * on a row lock, say) gives up its slot to the items behind it, so one stuck row never holds up
 * the floor. An item is answered only when its call has returned, and after the next call has
 * been sent.
 */
export interface BatchOptions<T, R> {
  /** Calls in flight at most, not counting stalled ones. */
  slots: number;
  /** Items per call at most. */
  max: number;
  /** A call running this long no longer holds a slot. */
  stallMs: number;
  /** One call for these items: a result or an error per item, in their order. */
  send: (items: T[]) => Promise<Array<R | Error>>;
}

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class Batches<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  /** When each running call started (performance.now()), oldest first. */
  private running: number[] = [];
  private wake: NodeJS.Timeout | undefined;
  /** Calls made and items they carried so far (the performance page shows items per call). */
  readonly sent = { calls: 0, items: 0 };

  constructor(private readonly o: BatchOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.start();
    });
  }

  private start(): void {
    while (this.waiting.length > 0 && this.busySlots() < this.o.slots) this.call(this.waiting.splice(0, this.o.max));
    if (this.waiting.length > 0 && !this.wake) {
      // Every slot is busy: look again when the oldest of them would count as stalled.
      const wait = Math.max(1, this.running[this.running.length - this.o.slots]! + this.o.stallMs - performance.now());
      this.wake = setTimeout(() => {
        this.wake = undefined;
        this.start();
      }, wait);
      this.wake.unref();
    }
  }

  private busySlots(): number {
    const since = performance.now() - this.o.stallMs;
    return this.running.filter((t) => t > since).length;
  }

  private call(batch: Array<Waiting<T, R>>): void {
    const started = performance.now();
    this.running.push(started);
    this.sent.calls++;
    this.sent.items += batch.length;
    // The slot is freed and the next call sent before this one's items are answered: answering
    // runs each item's continuation (for a scan, its reply), and the database need not wait for
    // that. setImmediate runs after the ticks in which the next call reaches its connection.
    const finish = (answer: () => void) => {
      this.running.splice(this.running.indexOf(started), 1);
      this.start();
      setImmediate(answer);
    };
    this.o.send(batch.map((w) => w.item)).then(
      (results) =>
        finish(() =>
          batch.forEach((w, i) => {
            const r = results[i];
            if (r instanceof Error) w.reject(r);
            else w.resolve(r as R);
          }),
        ),
      (err) =>
        finish(() => {
          for (const w of batch) w.reject(err);
        }),
    );
  }
}
