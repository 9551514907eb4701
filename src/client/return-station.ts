/**
 * The return station (/returns/{code}/scan): scanned parents go onto one open ticket, with the
 * scan station's own parts — the keyboard wedge (wedge.ts), the outcome melodies (sounds.ts,
 * outcomes.ts), the IndexedDB outbox (queue.ts, a database of its own) and the in-order sender
 * (sender.ts) posting to POST /api/returns/{code}/bags with each scan's scanId, so a dropped
 * network loses nothing and a resend is answered from the server's stored answer.
 */
import { newId, post, stationId, type Answer, type Bag } from './api.js';
import { codeOrRefuse } from './codes.js';
import { OUTCOMES, outcomeOfError, type OutcomeKey } from './outcomes.js';
import { ScanQueue, type QueuedScan } from './queue.js';
import { Sender } from './sender.js';
import { flash, keepStationRunning, scanRow } from './shell.js';
import { play } from './sounds.js';
import { DialogGate, startWedge } from './wedge.js';

/** Never the /scan or bill outbox: no page sends another page's scans. */
const OUTBOX = 'tracetrack-return-scans';
const MAX_ROWS = 40;

interface TicketData {
  code: string;
  status: string;
  bagCount: number;
  childCount: number;
  weightKg: number;
  bags: Array<{ code: string; childCount: number; billId: string }>;
}

interface Row {
  id: string;
  code: string;
  key: OutcomeKey | 'pending';
  text: string;
}

const $ = (id: string) => document.getElementById(id);

export class ReturnStation {
  private rows: Row[] = [];
  private blocked: string | null = null;
  readonly sender: Sender;

  constructor(
    readonly root: HTMLElement,
    readonly queue: ScanQueue,
    private ticket: TicketData,
  ) {
    for (const item of queue.list()) this.rows.unshift({ id: item.scanId, code: item.code, key: 'queued', text: item.billId ?? '' });
    this.sender = new Sender(
      queue,
      {
        onAnswer: (item, answer, elsewhere) => this.apply(item, answer, elsewhere),
        onStatus: () => this.render(),
        onBlocked: (message) => {
          this.blocked = message;
          this.render();
        },
        onDrained: () => this.render(),
        // The outbox item's billId field carries the ticket code (where the parent goes).
      },
      (item) => post(`/api/returns/${encodeURIComponent(item.billId ?? '')}/bags`, { code: item.code, scanId: item.scanId }),
    );
    this.render();
    void this.sender.kick();
  }

  scan(raw: string): void {
    const code = codeOrRefuse(raw, (shown, why) => this.local('invalid_format', shown, why));
    if (!code) return;
    // A repeat is sent too (SPEC §9: every attempt reaches the history); the server answers already_returned.
    const scanId = newId();
    const offline = this.blocked !== null || this.sender.offline || navigator.onLine === false;
    this.addRow({ id: scanId, code, key: offline ? 'queued' : 'pending', text: '' });
    if (offline) this.say('queued', `${code} · ${this.queue.size + 1} not sent`);
    this.render();
    this.queue.add({ scanId, kind: 'parent', code, billId: this.ticket.code, at: Date.now() }).then(
      () => void this.sender.kick(),
      () => {
        this.setRow(scanId, 'failed', 'not stored on this device');
        this.say('failed', `${code} was not stored on this device: scan it again`);
        this.render();
      },
    );
  }

  private apply(item: QueuedScan, answer: Answer, elsewhere: boolean): void {
    // Another tab's scan (it shares the outbox): its figures count here, its feedback stays there.
    const quiet = elsewhere && !this.rows.some((r) => r.id === item.scanId);
    const ticket = answer.body.ticket as Omit<TicketData, 'bags'> | undefined;
    const bag = answer.body.bag as Bag | undefined;
    const mine = item.billId === this.ticket.code;
    if (answer.status < 300 && ticket && bag) {
      const from = (answer.body.bill as { billId?: string } | null)?.billId ?? '';
      if (mine) {
        Object.assign(this.ticket, {
          status: ticket.status,
          bagCount: ticket.bagCount,
          childCount: ticket.childCount,
          weightKg: ticket.weightKg,
        });
        if (!this.ticket.bags.some((b) => b.code === bag.code))
          this.ticket.bags.push({ code: bag.code, childCount: bag.childCount, billId: from });
      }
      const key: OutcomeKey = answer.body.outcome === 'already_returned' ? 'already_returned' : 'returned';
      this.setRow(item.scanId, key, from ? `from ${from}` : '');
      if (!quiet) this.say(key, `${bag.code} · ${bag.childCount} children${from ? ` · off bill ${from}` : ''}`);
    } else {
      const error = answer.body.error;
      const key = outcomeOfError(error?.code);
      if (mine && error?.code === 'ticket_closed') this.ticket.status = String(error.status ?? 'closed');
      const other = key === 'on_other_ticket' && typeof error?.ticket === 'string' ? error.ticket : undefined;
      this.setRow(item.scanId, key, other ? `on ${other}` : '');
      if (!quiet) this.say(key, other ? `${item.code} is on ticket ${other}` : (error?.message ?? item.code));
    }
    this.render();
  }

  private say(key: OutcomeKey, detail: string): void {
    const o = OUTCOMES[key];
    flash(this.root, $('rs-title')!, $('rs-detail')!, o, detail);
    play(o.notes);
  }

  private local(key: OutcomeKey, code: string, detail: string): void {
    this.addRow({ id: newId(), code, key, text: '' });
    this.say(key, detail);
    this.render();
  }

  private addRow(row: Row): void {
    this.rows.unshift(row);
    if (this.rows.length > MAX_ROWS) this.rows.length = MAX_ROWS;
  }

  private setRow(id: string, key: OutcomeKey, text: string): void {
    const row = this.rows.find((r) => r.id === id);
    if (row) Object.assign(row, { key, text });
  }

  typed(text: string): void {
    $('rs-typed')!.textContent = text;
  }

  render(): void {
    const t = this.ticket;
    $('rs-n')!.textContent = String(t.bagCount);
    $('rs-children')!.textContent = String(t.childCount);
    $('rs-weight')!.textContent = String(t.weightKg);
    $('rs-status')!.textContent = t.status;
    const unsent = $('rs-unsent')!;
    unsent.hidden = this.queue.size === 0;
    unsent.textContent = `${this.queue.size} not sent`;
    $('rs-net')!.hidden = !this.sender.offline;
    $('rs-blocked')!.hidden = this.blocked === null;
    $('rs-blocked-text')!.textContent = this.blocked ?? '';
    $('rs-recent')!.replaceChildren(
      ...this.rows.map((r) =>
        scanRow(
          r.code,
          r.key === 'pending' ? 'queued' : OUTCOMES[r.key].tone,
          r.key === 'pending' ? 'Sending…' : [OUTCOMES[r.key].title, r.text].filter(Boolean).join(' · '),
          {
            code: r.code,
            outcome: r.key,
          },
        ),
      ),
    );
    $('rs-bags')!.replaceChildren(
      ...[...t.bags].reverse().map((b) => {
        const li = document.createElement('li');
        li.innerHTML = '<span class="bs-code"></span><span class="bs-count"></span>';
        li.firstElementChild!.textContent = b.code;
        li.lastElementChild!.textContent = `${b.childCount} children${b.billId ? ` · from ${b.billId}` : ''}`;
        return li;
      }),
    );
  }
}

/** Starts the station on its page. */
export async function startReturnStation(root: HTMLElement): Promise<void> {
  stationId();
  const queue = await ScanQueue.open(root.dataset.userId ?? 'anonymous', OUTBOX);
  const station = new ReturnStation(root, queue, JSON.parse(root.dataset.ticket ?? '{}') as TicketData);
  // A scan while a dialog is open is held and applied once it closes (SPEC §9), as on /scan.
  const gate = new DialogGate((raw) => station.scan(raw));
  startWedge({ onCode: (raw) => gate.take(raw), onBuffer: (text) => station.typed(text) });
  keepStationRunning(root, queue, () => station.render());
}
