/**
 * The bill scan page's logic: every scanned parent is acknowledged at once ("Sending…"), stored
 * in the page's own IndexedDB outbox with its scanId (queue.ts) and sent in order by the
 * station's Sender (sender.ts) to POST /api/bills/{id}/parents — so a dropped network loses
 * nothing and a resend after a timeout is answered from the server's stored answer. The server
 * is the judge of every scan, a repeat of a parent already on the bill included (SPEC §9).
 */
import { newId, NetworkError, post, stationId, type Answer, type Bag } from './api.js';
import { Feedback } from './feedback.js';
import { outcomeOfError, type OutcomeKey } from './outcomes.js';
import type { BillFigures, BillView, ParentLine, ScanRow } from './bill-view.js';
import { codeOrRefuse } from './codes.js';
import type { QueuedScan, ScanQueue } from './queue.js';
import { Sender } from './sender.js';

const UNSENT_GRACE_MS = 1500;
const STALE_MS = 5000;
const MAX_ROWS = 40;
const billPath = (billId: string, tail = '') => `/api/bills/${encodeURIComponent(billId)}${tail}`;

/** DELETE with the page's CSRF token (api.ts only posts). */
async function del(path: string): Promise<Answer> {
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrf, 'x-station-id': stationId() },
    });
  } catch (err) {
    throw new NetworkError(err instanceof Error ? err.message : 'network error');
  }
  const body = (await res.json().catch(() => ({}))) as Answer['body'];
  return { status: res.status, body };
}

export class BillStation {
  bill: BillFigures;
  parents: ParentLine[];
  rows: ScanRow[] = [];
  readonly sender: Sender;
  private blocked: string | null = null;
  private readonly feedback: Feedback;

  constructor(
    readonly view: BillView,
    readonly queue: ScanQueue,
    data: BillFigures & { parents: ParentLine[] },
  ) {
    this.feedback = new Feedback(view, 'on_bill');
    const { parents, ...bill } = data;
    this.bill = bill;
    this.parents = parents;
    for (const item of queue.list())
      this.rows.unshift({ id: item.scanId, code: item.code, state: 'queued', text: item.billId ?? '', offline: true });
    this.sender = new Sender(
      queue,
      {
        onAnswer: (item, answer) => this.apply(item, answer),
        onStatus: () => this.render(),
        onBlocked: (message) => {
          this.blocked = message;
          this.render();
        },
        onDrained: () => this.feedback.summarise(),
      },
      (item) => post(billPath(item.billId ?? '', '/parents'), { code: item.code, scanId: item.scanId }),
    );
    view.onRemove = (code) => void this.remove(code);
    this.render();
    void this.sender.kick();
  }

  scan(raw: string): void {
    const code = codeOrRefuse(raw, (shown, why) => this.local('invalid_format', shown, why));
    if (!code) return;
    // A repeat is sent too (SPEC §9: every attempt reaches the history); the server answers already_on_bill.
    const offline = this.blocked !== null || this.sender.offline || navigator.onLine === false;
    const scanId = newId();
    this.addRow({ id: scanId, code, state: offline ? 'queued' : 'pending', text: '', offline });
    if (offline) this.say('queued', `${code} · ${this.queue.size + 1} not sent`, false);
    this.render();
    this.queue.add({ scanId, kind: 'parent', code, billId: this.bill.billId, at: Date.now() }).then(
      () => {
        this.render();
        void this.sender.kick();
      },
      () => {
        this.setRow(scanId, 'failed', 'not stored on this device');
        this.say('failed', `${code} was not stored on this device: scan it again`, false);
        this.render();
      },
    );
  }

  private apply(item: QueuedScan, answer: Answer): void {
    const row = this.rows.find((r) => r.id === item.scanId);
    // Scans made offline, long ago, for another bill or in another tab are summed up, not replayed.
    const quiet = !row || row.offline === true || Date.now() - item.at > STALE_MS || item.billId !== this.bill.billId;
    if (quiet) this.feedback.countQuiet();
    const mine = item.billId === this.bill.billId;
    const bill = answer.body.bill as BillFigures | undefined;
    const bag = answer.body.bag as Bag | undefined;
    if (answer.status < 300 && bill && bag) {
      if (mine) this.sync(bill, bag);
      const warning = answer.body.warning as { message?: string } | undefined;
      const key: OutcomeKey =
        answer.body.outcome === 'already_on_bill'
          ? 'already_on_bill'
          : bill.parentCount >= bill.capacity
            ? 'bill_full'
            : warning
              ? 'on_bill_unfinished'
              : 'on_bill';
      const fill = `${bill.parentCount}/${bill.capacity}`;
      // An unfinished parent's warning replaces the plain detail (and shows in its row too).
      const about = warning?.message ?? `${bag.code} · ${bag.childCount} children`;
      this.setRow(item.scanId, key, `${warning ? 'not finished · ' : ''}${bag.childCount} children · ${fill}`);
      this.say(key, key === 'bill_full' ? `${about} · ${fill}: complete the bill` : `${about} · ${fill}`, quiet);
    } else {
      const error = answer.body.error;
      const key = outcomeOfError(error?.code);
      if (mine && error?.code === 'bill_completed') this.bill.status = 'completed';
      const other = typeof error?.billId === 'string' && error.code === 'already_linked_other_bill' ? error.billId : undefined;
      this.setRow(item.scanId, key, other ? `on ${other}` : '');
      this.say(key, other ? `${item.code} is on bill ${other}` : (error?.message ?? item.code), quiet);
    }
    this.render();
  }

  /** Figures from a server answer; the parent joins (or updates) the list. */
  private sync(bill: BillFigures, bag?: Bag): void {
    this.bill = {
      billId: this.bill.billId,
      status: bill.status,
      capacity: bill.capacity,
      parentCount: bill.parentCount,
      childCount: bill.childCount,
      actualWeightKg: bill.actualWeightKg,
      expectedWeightKg: bill.expectedWeightKg,
    };
    if (!bag) return;
    const line = { code: bag.code, childCount: bag.childCount, capacity: bag.capacity };
    const i = this.parents.findIndex((p) => p.code === bag.code);
    if (i >= 0) this.parents[i] = line;
    else this.parents.push(line);
  }

  async remove(code: string): Promise<void> {
    if (!(await this.view.confirm(`Take ${code} off bill ${this.bill.billId}?`, 'Remove'))) return;
    try {
      const answer = await del(billPath(this.bill.billId, `/parents/${encodeURIComponent(code)}`));
      const bill = answer.body.bill as BillFigures | undefined;
      if (answer.status < 300 && bill) {
        this.sync(bill);
        this.parents = this.parents.filter((p) => p.code !== code);
        this.say('removed_from_bill', `${code} · ${bill.parentCount}/${bill.capacity}`, false);
      } else {
        this.say(outcomeOfError(answer.body.error?.code), answer.body.error?.message ?? code, false);
      }
    } catch {
      this.say('failed', 'No network: removing needs the server, try again when connected', false);
    }
    this.render();
  }

  async complete(): Promise<void> {
    const b = this.bill;
    const short = b.capacity - b.parentCount;
    const question = `Complete bill ${b.billId}? ${b.parentCount}/${b.capacity} parents${short > 0 ? ` (${short} short)` : ''} · ${b.actualWeightKg} kg. It is locked until reopened.`;
    if (!(await this.view.confirm(question, 'Complete'))) return;
    try {
      const answer = await post(billPath(this.bill.billId, '/complete'));
      const bill = answer.body.bill as BillFigures | undefined;
      if (answer.status < 300 && bill) {
        this.sync(bill);
        this.say('bill_done', `${bill.billId} · ${bill.parentCount}/${bill.capacity} parents · ${bill.actualWeightKg} kg`, false);
      } else {
        this.say(outcomeOfError(answer.body.error?.code), answer.body.error?.message ?? 'Not completed', false);
      }
    } catch {
      this.say('failed', 'No network: completing needs the server, try again when connected', false);
    }
    this.render();
  }

  say(key: OutcomeKey, detail: string, quiet: boolean): void {
    this.feedback.say(key, detail, quiet);
  }

  private local(key: OutcomeKey, code: string, detail: string): void {
    this.addRow({ id: newId(), code, state: key, text: '' });
    this.say(key, detail, false);
    this.render();
  }

  private addRow(row: ScanRow): void {
    this.rows.unshift(row);
    if (this.rows.length > MAX_ROWS) this.rows.length = MAX_ROWS;
  }

  private setRow(id: string, state: ScanRow['state'], text: string): void {
    const row = this.rows.find((r) => r.id === id);
    if (row) Object.assign(row, { state, text });
  }

  render(): void {
    const oldest = this.queue.first();
    this.view.render({
      bill: this.bill,
      parents: this.parents,
      rows: this.rows,
      unsent: this.queue.size,
      showUnsent: this.blocked !== null || this.sender.offline || (oldest !== undefined && Date.now() - oldest.at > UNSENT_GRACE_MS),
      offline: this.sender.offline,
      blocked: this.blocked,
    });
  }
}
