/**
 * Live events (SPEC §5: figures update without reloading, across all server instances).
 *
 * Every recorded attempt (scans, bag and bill actions: domain/scans/attempt.ts) is published
 * after its transaction commits. The hub batches what this process publishes for a moment and
 * hands each batch to a transport that delivers it to every process, this one included
 * (PostgreSQL NOTIFY, Redis PUBLISH, or in-process for the single-process embedded database;
 * storage/live.*.ts). Each process hands what arrives to its own subscribers (the SSE streams),
 * filtered by what the subscriber may see.
 *
 * Delivery is at most once: a live view shows the latest state, and the dashboard re-reads its
 * figures from the counters, so a lost event costs freshness, never correctness.
 */
import type { Actor } from '../actor.js';
import { canSeeArea } from '../areas/area-scope.js';
import { can } from '../permissions.js';

export interface LiveEvent {
  at: string;
  action: string;
  outcome: string;
  /** Accepted (true) or refused with an error code (false). */
  ok: boolean;
  subject: string | null;
  related: string | null;
  area: string | null;
  actor: string | null;
  station: string | null;
}

export interface LiveTransport {
  /** Delivers a batch to every process (this one included). */
  send(batch: LiveEvent[]): Promise<void>;
  /** Starts receiving (idempotent); batches from every process go to `onBatch`. */
  start(onBatch: (batch: LiveEvent[]) => void): Promise<void>;
  close(): Promise<void>;
}

/** What use cases see: publishing never blocks or fails the use case. */
export interface LivePublisher {
  publish(e: LiveEvent): void;
}

type Viewer = Pick<Actor, 'role' | 'areaId'>;

/** The live event of one recorded attempt: the history row's public facts. */
export function liveEventOf(
  actor: Pick<Actor, 'username' | 'station'>,
  action: string,
  outcome: string,
  ok: boolean,
  note: { subject?: string | null; related?: string | null; areaId?: string | null },
  at: Date,
): LiveEvent {
  return {
    at: at.toISOString(),
    action,
    outcome,
    ok,
    subject: note.subject ?? null,
    related: note.related ?? null,
    area: note.areaId ?? null,
    actor: actor.username,
    station: actor.station ?? null,
  };
}

/**
 * Dispatchers see scan and bag events of their own area; billers and admins see everything.
 * An event without an area (a refused scan of an unknown code by a biller) is office-only.
 */
export function visibleTo(viewer: Viewer, e: LiveEvent): boolean {
  if (viewer.role !== 'dispatcher') return true;
  if (e.area === null || !canSeeArea(viewer, e.area)) return false;
  return e.action.startsWith('scan.') || e.action.startsWith('bag.') || (e.action.startsWith('bill.') && can(viewer, 'bills.read'));
}

/** How long published events wait to travel together: fewer NOTIFYs under 200 scanners. */
const BATCH_MS = 50;
/** NOTIFY payloads stop at 8000 bytes; batches are cut below that. */
const MAX_BATCH_BYTES = 7000;

interface Subscriber {
  viewer: Viewer;
  deliver(events: LiveEvent[]): void;
}

export class LiveHub implements LivePublisher {
  private pending: LiveEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(
    private readonly transport: LiveTransport,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  publish(e: LiveEvent): void {
    if (this.closed) return;
    this.pending.push(e);
    this.timer ??= setTimeout(() => void this.flush(), BATCH_MS);
  }

  /** Sends what is pending now (tests and shutdown call it; the timer does otherwise). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    this.pending = [];
    for (const batch of cut(events)) {
      await this.transport.send(batch).catch(this.onError);
    }
  }

  /** A subscriber for this viewer; resolves once the transport is listening. */
  async subscribe(viewer: Viewer, deliver: (events: LiveEvent[]) => void): Promise<() => void> {
    const sub: Subscriber = { viewer, deliver };
    this.subscribers.add(sub);
    await this.transport.start((batch) => this.dispatch(batch));
    return () => this.subscribers.delete(sub);
  }

  get size(): number {
    return this.subscribers.size;
  }

  private dispatch(batch: LiveEvent[]): void {
    for (const sub of this.subscribers) {
      const seen = batch.filter((e) => visibleTo(sub.viewer, e));
      if (seen.length === 0) continue;
      try {
        sub.deliver(seen);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.subscribers.clear();
    await this.transport.close();
  }
}

/** Splits events into batches whose JSON stays under the NOTIFY payload limit. */
function cut(events: LiveEvent[]): LiveEvent[][] {
  const batches: LiveEvent[][] = [];
  let batch: LiveEvent[] = [];
  let bytes = 2;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** One process, one memory: the embedded database serves a single process (DESIGN.md). */
export function localTransport(): LiveTransport {
  let listener: ((batch: LiveEvent[]) => void) | undefined;
  return {
    async send(batch) {
      // Delivered on a later tick, like a network transport: never inside the publisher's call.
      setImmediate(() => listener?.(batch));
    },
    async start(onBatch) {
      listener = onBatch;
    },
    async close() {
      listener = undefined;
    },
  };
}
