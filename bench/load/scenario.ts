/**
 * What one virtual user does during a shift: child scans into the parent in hand (a new parent
 * when it fills), parent scans, bill links, searches, dashboard looks and bag/bill pages.
 */
import { randomUUID } from 'node:crypto';
import type { Session } from './http.js';
import type { Recorder } from './stats.js';

export type Op = 'child_scan' | 'parent_scan' | 'bill_link' | 'search' | 'dashboard' | 'page';

/** The shift's mix (issue 6): 70% child scans, 8% parent scans, 7% bill links, 8% search, 4% dashboard, 3% pages. */
export const SHIFT_MIX: Array<[Op, number]> = [
  ['child_scan', 70],
  ['parent_scan', 8],
  ['bill_link', 7],
  ['search', 8],
  ['dashboard', 4],
  ['page', 3],
];

export interface KnownCodes {
  /** Unbilled, completed parents: bill-link candidates. */
  parents: string[];
  /** Any bag codes, for searches and bag pages. */
  bags: string[];
  bills: string[];
}

export function pickOp(mix: Array<[Op, number]>, r = Math.random()): Op {
  const total = mix.reduce((n, [, w]) => n + w, 0);
  let x = r * total;
  for (const [op, w] of mix) {
    x -= w;
    if (x < 0) return op;
  }
  return mix[mix.length - 1]![0];
}

const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

export class VirtualUser {
  private parent: string | undefined;
  private childSeq = 0;
  private billId: string | undefined;
  private readonly completed: string[] = [];

  constructor(
    readonly id: number,
    private readonly session: Session,
    private readonly rec: Recorder,
    private readonly known: KnownCodes,
    private readonly runTag: string,
  ) {}

  /** Runs one operation; `scheduledAt` is when it should have started (open-loop latency). */
  async run(op: Op, scheduledAt = performance.now()): Promise<void> {
    switch (op) {
      case 'child_scan':
        return this.childScan(scheduledAt);
      case 'parent_scan':
        return void (await this.newParent(scheduledAt));
      case 'bill_link':
        return this.billLink(scheduledAt);
      case 'search':
        return void (await this.timed('search', scheduledAt, 'GET', `/api/search?q=${encodeURIComponent(this.searchTerm())}`));
      case 'dashboard':
        return void (await this.timed('dashboard', scheduledAt, 'GET', '/api/dashboard/stats'));
      case 'page':
        return void (await (Math.random() < 0.6 || !this.known.bills.length
          ? this.timed('bag_page', scheduledAt, 'GET', `/api/bags/${encodeURIComponent(pick(this.known.bags) ?? this.parent ?? 'SB00001')}`)
          : this.timed('bill_page', scheduledAt, 'GET', `/api/bills/${encodeURIComponent(pick(this.known.bills)!)}`)));
    }
  }

  private async timed(op: string, scheduledAt: number, method: string, path: string, body?: unknown) {
    const res = await this.session
      .request(method, path, body)
      .catch((err: Error) => ({ status: 0, body: { error: { code: `network:${err.message}` } } }));
    this.rec.record(op, performance.now() - scheduledAt, res.status, res.body?.error?.code);
    return res;
  }

  private searchTerm(): string {
    const code = pick(this.known.bags) ?? 'SB0';
    return Math.random() < 0.5 ? code : code.slice(0, Math.max(3, code.length - 2));
  }

  /** Scans fresh parent codes until one can take children (created, or resumed with room). */
  private async newParent(scheduledAt: number): Promise<string | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = Math.random() < 0.7 ? `SB${rand5()}` : `M444-${rand5()}`;
      const res = await this.timed('parent_scan', attempt === 0 ? scheduledAt : performance.now(), 'POST', '/api/scans/parent', {
        code,
        scanId: randomUUID(),
      });
      const bag = res.body?.bag;
      if (res.status === 200 && bag?.status === 'pending' && bag.childCount < bag.capacity && !bag.billId) {
        this.parent = code;
        return code;
      }
    }
    return undefined;
  }

  private async childScan(scheduledAt: number): Promise<void> {
    if (!this.parent && !(await this.newParent(scheduledAt))) return;
    this.childSeq++;
    const code = `${this.runTag}${this.id.toString(36).toUpperCase()}X${this.childSeq}`;
    const res = await this.timed('child_scan', scheduledAt, 'POST', '/api/scans/child', {
      parentCode: this.parent,
      code,
      scanId: randomUUID(),
    });
    const parent = res.body?.parent;
    const code409 = res.body?.error?.code;
    if (
      (res.status === 200 && parent?.status === 'completed') ||
      code409 === 'parent_full' ||
      code409 === 'parent_completed' ||
      code409 === 'bill_completed'
    ) {
      if (parent?.status === 'completed') this.completed.push(this.parent!);
      this.parent = undefined;
    }
  }

  private async billLink(scheduledAt: number): Promise<void> {
    if (!this.billId) {
      const billId = `LD-${this.runTag}-${this.id}`;
      const res = await this.timed('bill_create', scheduledAt, 'POST', '/api/bills', { billId, capacity: 500, destination: 'Load test' });
      if (res.status === 201 || res.body?.error?.code === 'duplicate_bill') this.billId = billId;
      return;
    }
    const code = this.completed.pop() ?? pick(this.known.parents) ?? this.parent;
    if (!code) return;
    await this.timed('bill_link', scheduledAt, 'POST', `/api/bills/${encodeURIComponent(this.billId)}/parents`, {
      code,
      scanId: randomUUID(),
    });
  }
}

const rand5 = () => String(Math.floor(Math.random() * 100000)).padStart(5, '0');
