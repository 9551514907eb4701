/**
 * Sends the outbox in order, one scan at a time, and decides what an answer means for the
 * outbox: a decision by the server (success or a rule refusal) removes the scan; no answer, a
 * timeout or a 5xx/429 keeps it and retries later with the same scanId (backing off to 15 s,
 * and at once when the browser says it is back online); an ended session or a stale CSRF token
 * stops sending until the page is reloaded after a new login; the scans wait on the device.
 * Tabs of one browser share the outbox, so exactly one sends at a time: each run holds a Web
 * Lock named after the outbox and reads the outbox again inside it, so a scan is sent once,
 * in order, whichever tab sends it (a hidden tab lets a visible one go first). The sending tab
 * tells the others each answer and the moment the outbox is empty (a BroadcastChannel named
 * after the outbox), so every open tab shows the same rows and the same drain summary, however
 * the sending was split between them.
 */
import { isTransient, NetworkError, post, type Answer } from './api.js';
import type { QueuedScan, ScanQueue } from './queue.js';

export interface SenderHooks {
  /** The server decided about this scan (it is already out of the outbox); `elsewhere`: another tab sent it. */
  onAnswer(item: QueuedScan, answer: Answer, elsewhere: boolean): void;
  /** Connection trouble started or ended, or the outbox changed. */
  onStatus(): void;
  /** The session ended or the CSRF token is stale: nothing more can be sent. */
  onBlocked(message: string): void;
  /** The outbox has just been emptied (by this tab or another). */
  onDrained(): void;
}

/** What the sending tab tells the other tabs of the same outbox. */
type Note = { type: 'answer'; item: QueuedScan; answer: Answer } | { type: 'drained' };

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;
const HIDDEN_DELAY_MS = 2000;

interface Locks {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

function send(item: QueuedScan): Promise<Answer> {
  if (item.kind === 'parent') {
    return post('/api/scans/parent', { code: item.code, scanId: item.scanId, ...(item.area ? { area: item.area } : {}) });
  }
  return post('/api/scans/child', { parentCode: item.parentCode, code: item.code, scanId: item.scanId });
}

export class Sender {
  /** True while the last attempt got no answer (or the browser says it is offline). */
  offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  blocked = false;
  /** The scan on the wire right now: it can no longer be taken back locally. */
  inFlight: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel: BroadcastChannel | null;

  constructor(
    private readonly queue: ScanQueue,
    private readonly hooks: SenderHooks,
    /** How one queued scan goes out (the bill scan page posts to the bill API instead). */
    private readonly transport: (item: QueuedScan) => Promise<Answer> = send,
  ) {
    window.addEventListener('online', () => {
      this.retryMs = FIRST_RETRY_MS;
      // A tab in the background waits a moment: the one in front sends and sums up.
      if (document.hidden) setTimeout(() => void this.kick(), HIDDEN_DELAY_MS);
      else void this.kick();
    });
    window.addEventListener('offline', () => this.setOffline(true));
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`${queue.name}-sender`) : null;
    if (this.channel) this.channel.onmessage = (e: MessageEvent<Note>) => this.heard(e.data);
  }

  /** Another tab sent a scan of the shared outbox, or emptied it. */
  private heard(note: Note): void {
    if (note.type === 'drained') return this.hooks.onDrained();
    if (note.item.userId !== this.queue.userId) return;
    this.queue.forget(note.item.scanId);
    this.setOffline(false); // the other tab got an answer: the server is reachable
    this.hooks.onAnswer(note.item, note.answer, true);
  }

  /** Starts sending if not already at it; resolves when this run stops. */
  kick(): Promise<void> {
    if (this.running) {
      // A run about to end may already have looked at the outbox: go round once more after it.
      this.again = true;
      return this.running;
    }
    const locks = (navigator as unknown as { locks?: Locks }).locks;
    const run: Promise<void> = locks
      ? locks.request(`${this.queue.name}-sender`, async () => {
          await this.queue.reload(); // what another tab sent is gone, what it added is there
          await this.run();
        })
      : this.run();
    this.running = run.finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  /** Resolves once the current run (if any) has stopped. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private setOffline(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    this.hooks.onStatus();
  }

  private retryLater(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.kick(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private async run(): Promise<void> {
    clearTimeout(this.timer);
    let sent = 0;
    for (let item = this.queue.first(); item && !this.blocked; item = this.queue.first()) {
      if (navigator.onLine === false) {
        this.setOffline(true);
        return this.retryLater();
      }
      this.inFlight = item.scanId;
      let answer: Answer;
      try {
        answer = await this.transport(item);
      } catch (err) {
        if (!(err instanceof NetworkError)) throw err;
        this.setOffline(true);
        return this.retryLater();
      } finally {
        this.inFlight = null;
      }
      const code = answer.body.error?.code;
      if (answer.status === 401 || code === 'csrf_failed' || code === 'not_authenticated') {
        this.blocked = true;
        this.hooks.onBlocked(code === 'csrf_failed' ? 'The page is out of date: reload it.' : 'Your session has ended: log in again.');
        return;
      }
      if (isTransient(answer.status)) {
        this.setOffline(true);
        return this.retryLater();
      }
      await this.queue.remove(item.scanId);
      this.retryMs = FIRST_RETRY_MS;
      this.setOffline(false);
      sent += 1;
      this.channel?.postMessage({ type: 'answer', item, answer } satisfies Note);
      this.hooks.onAnswer(item, answer, false);
    }
    // Only the run that sent the last scans sums up, here and in the other tabs.
    if (!this.blocked && this.queue.size === 0 && sent > 0) {
      this.hooks.onDrained();
      this.channel?.postMessage({ type: 'drained' } satisfies Note);
    }
  }
}
