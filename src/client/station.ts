/**
 * The scan station's rules on the device: which scan is a parent and which a child, the
 * optimistic count and the feedback (answers.ts applies the server's answers). Every scan is
 * acknowledged at once (a "Sending…" row) and goes through the outbox (queue.ts, sender.ts).
 * Scans sent after waiting offline are applied quietly and summed up once the outbox is
 * empty, instead of twenty beeps in a row.
 */
import type { BagKind } from '../domain/codes.js';
import { applyChildAnswer, applyParentAnswer } from './answers.js';
import { newId, type Answer, type Bag } from './api.js';
import { codeOrRefuse, parentKindOf } from './codes.js';
import { Feedback } from './feedback.js';
import { OUTCOMES, type OutcomeKey } from './outcomes.js';
import type { QueuedScan, ScanQueue } from './queue.js';
import { Sender } from './sender.js';
import {
  countText,
  heldParent,
  loadState,
  MAX_ROWS,
  newParent,
  saveState,
  shownCount,
  type ParentState,
  type Row,
  type RowState,
  type Saved,
} from './state.js';
import type { View } from './view.js';

export interface StationOptions {
  userId: string;
  /** Parent kinds (pattern, capacity): route a scan and guess a capacity before the answer. */
  kinds: readonly BagKind[];
  /** The area a new parent gets (billers and admins pick it); undefined for dispatchers. */
  area(): string | undefined;
}

const UNSENT_GRACE_MS = 1500;
const STALE_MS = 5000;

export class Station {
  readonly state: Saved;
  readonly sender: Sender;
  blocked: string | null = null;
  private readonly feedback: Feedback;

  constructor(
    readonly view: View,
    readonly queue: ScanQueue,
    private readonly opts: StationOptions,
  ) {
    this.state = loadState(opts.userId);
    this.feedback = new Feedback(view, 'linked');
    this.sender = new Sender(queue, {
      onAnswer: (item, answer) => this.apply(item, answer),
      onStatus: () => this.hold(),
      onBlocked: (message) => {
        this.blocked = message;
        this.hold();
      },
      onDrained: () => this.feedback.summarise(),
    });
    // After a reload the outbox, not the saved screen, says what is still unsent.
    const unsent = new Set(queue.list().map((i) => i.scanId));
    for (const p of [this.state.parent, this.state.last]) {
      if (p)
        p.waiting = queue
          .list()
          .filter((i) => i.kind === 'child' && i.parentCode === p.code)
          .map((i) => i.scanId);
    }
    for (const row of this.state.rows)
      if ((row.state === 'pending' || row.state === 'queued') && !unsent.has(row.id)) row.state = 'unknown';
    this.render();
    // After a reload the banner says what the station expects next.
    if (this.state.parent) {
      const q = this.state.parent;
      this.view.flash(OUTCOMES.ready, `${q.code} · ${countText(q, shownCount(q))}`, 'Scan children');
    }
    void this.sender.kick();
  }

  scan(raw: string): void {
    const code = codeOrRefuse(raw, (shown, why) => this.local('invalid_format', shown, why));
    if (!code) return;
    const s = this.state;
    const p = s.parent;
    if (parentKindOf(code, this.opts.kinds) || code === p?.code) return this.scanParent(code);
    const held = heldParent(s);
    if (!held) return this.scanParent(code);
    if (held !== p || held.codes.includes(code)) {
      // Not counted on the device (a repeat, or a parent with no room): the server decides,
      // and records the attempt.
      return this.enqueue({ scanId: newId(), kind: 'child', code, parentCode: held.code }, countText(held, shownCount(held)));
    }
    p.codes.push(code);
    const scanId = newId();
    p.waiting.push(scanId);
    if (p.capacity !== null && shownCount(p) >= p.capacity) {
      // Full as far as the station knows: the next parent code starts a parent. An answer may still undo this.
      p.countedFull = true;
      s.last = p;
      s.parent = null;
    }
    this.enqueue({ scanId, kind: 'child', code, parentCode: p.code }, countText(p, shownCount(p)));
  }

  private scanParent(code: string): void {
    const s = this.state;
    const known = this.find(code);
    const next = known ?? newParent(code, parentKindOf(code, this.opts.kinds)?.capacity ?? null);
    if (s.parent && s.parent !== next) s.last = s.parent;
    else if (s.last === next) s.last = null;
    s.parent = next;
    const area = this.opts.area();
    this.enqueue({ scanId: newId(), kind: 'parent', code, ...(area ? { area } : {}) }, 'parent');
  }

  private enqueue(scan: Omit<QueuedScan, 'seq' | 'userId' | 'at'>, detail: string): void {
    const offline = this.held() || navigator.onLine === false;
    this.addRow({
      id: scan.scanId,
      code: scan.code,
      kind: scan.kind,
      parentCode: scan.parentCode,
      state: offline ? 'queued' : 'pending',
      text: '',
      offline,
    });
    if (offline) this.say('queued', `${scan.code} · ${detail} · ${this.queue.size + 1} not sent`, false);
    this.render();
    this.queue.add({ ...scan, at: Date.now() }).then(
      () => {
        this.render();
        void this.sender.kick();
      },
      () => {
        const p = scan.parentCode ? this.find(scan.parentCode) : undefined;
        if (p) {
          p.waiting = p.waiting.filter((id) => id !== scan.scanId);
          p.codes = p.codes.filter((c) => c !== scan.code);
        }
        this.setRow(scan.scanId, 'failed', 'could not be stored on this device');
        this.say('failed', `${scan.code} was not stored on this device: scan it again`, false);
        this.render();
      },
    );
  }

  private apply(item: QueuedScan, answer: Answer): void {
    // Feedback long after the scan would only confuse: such answers are summed up instead.
    // A scan made in another tab (it shares the outbox) is summed up too.
    const row = this.rowOf(item.scanId);
    const quiet = !row || row.offline === true || Date.now() - item.at > STALE_MS;
    if (quiet) this.feedback.countQuiet();
    if (item.kind === 'parent') applyParentAnswer(this, item, answer, quiet);
    else applyChildAnswer(this, item, answer, quiet);
    this.render();
  }

  /** Feedback: flash and tone, unless it is a replayed answer (summed up later, feedback.ts). */
  say(key: OutcomeKey, detail: string, quiet: boolean): void {
    this.feedback.say(key, detail, quiet);
  }

  /** The tone alone: good news about a parent no longer on screen (answers.ts). */
  tone(key: OutcomeKey, quiet: boolean): void {
    this.feedback.tone(key, quiet);
  }

  /** A scan decided on the device alone (never sent). */
  private local(key: OutcomeKey, code: string, detail: string, parentCode?: string): void {
    this.addRow({ id: newId(), code, kind: 'child', parentCode, state: key, text: '' });
    this.say(key, detail, false);
    this.render();
  }

  find(code: string): ParentState | undefined {
    const { parent, last } = this.state;
    return parent?.code === code ? parent : last?.code === code ? last : undefined;
  }

  sync(p: ParentState, bag: Bag): void {
    p.count = bag.childCount;
    p.capacity = bag.capacity ?? p.capacity;
    p.status = bag.status;
  }

  rowOf(id: string): Row | undefined {
    return this.state.rows.find((r) => r.id === id);
  }

  setRow(id: string, state: RowState, text: string): void {
    const row = this.rowOf(id);
    if (row) Object.assign(row, { state, text });
  }

  addRow(row: Row): void {
    this.state.rows.unshift(row);
    if (this.state.rows.length > MAX_ROWS) this.state.rows.length = MAX_ROWS;
  }

  /** Scans stay on the device for now: no network, or no session to send them with. */
  private held(): boolean {
    return this.sender.offline || this.blocked !== null;
  }

  /** Sending has stopped: scans still waiting for an answer are now "saved offline", and the worker hears it once. */
  private hold(): void {
    if (this.held()) {
      // Every scan still waiting for an answer, including those the outbox is still storing
      // (wedge scans arrive faster than IndexedDB writes): all are sent, and summed up, later.
      const moved = this.state.rows.filter((r) => r.state === 'pending');
      for (const r of moved) Object.assign(r, { state: 'queued', offline: true });
      const stored = new Set(this.queue.list().map((i) => i.scanId));
      const unsent = this.queue.size + moved.filter((r) => !stored.has(r.id)).length;
      const what = moved.length === 1 ? moved[0]!.code : `${moved.length} scans`;
      if (moved.length) this.say('queued', `${what} kept on this device · ${unsent} not sent`, false);
    }
    this.render();
  }

  render(): void {
    const oldest = this.queue.first();
    saveState(this.opts.userId, this.state);
    this.view.render({
      ...this.state,
      unsent: this.queue.size,
      showUnsent: this.held() || (oldest !== undefined && Date.now() - oldest.at > UNSENT_GRACE_MS),
      offline: this.sender.offline,
      blocked: this.blocked,
    });
  }
}
