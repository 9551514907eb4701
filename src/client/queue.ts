/**
 * The station's outbox: every scan is written here (IndexedDB) before it is sent and removed
 * only once the server has answered it, so a dropped network, a crash or a reload loses
 * nothing. Scans leave in the order they were made. Each keeps the scanId it got on the device,
 * so a resend after a timeout is harmless: the server answers a repeated scanId with its first
 * answer. Items belong to the user who scanned them and are only sent in that user's session.
 */
export interface QueuedScan {
  /** IndexedDB key, increasing: the send order. */
  seq?: number;
  scanId: string;
  userId: string;
  kind: 'parent' | 'child';
  code: string;
  parentCode?: string;
  area?: string;
  /** Bill scans (the bill scan page's own outbox): the bill the parent goes on. */
  billId?: string;
  /** When it was scanned (ms since epoch). */
  at: number;
}

const DB_NAME = 'tracetrack-station';
const STORE = 'outbox';

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function openDb(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
  return done(req);
}

export class ScanQueue {
  private items: QueuedScan[] = [];

  private constructor(
    private readonly db: IDBDatabase | null,
    readonly userId: string,
    /** The IndexedDB database: also names the cross-tab sending lock (sender.ts). */
    readonly name: string,
  ) {}

  /** Opens the outbox; without IndexedDB (some private modes) it still works, in memory only. */
  /** `dbName`: another page's outbox (the bill scan page keeps its own, so neither page sends the other's scans). */
  static async open(userId: string, dbName = DB_NAME): Promise<ScanQueue> {
    let db: IDBDatabase | null = null;
    try {
      db = await openDb(dbName);
    } catch {
      db = null;
    }
    const queue = new ScanQueue(db, userId, dbName);
    await queue.reload();
    return queue;
  }

  /** Reads the outbox again: another tab of this browser may have added or sent scans. */
  async reload(): Promise<void> {
    if (!this.db) return;
    const all = await done(this.db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<QueuedScan[]>);
    this.items = all.filter((i) => i.userId === this.userId).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  }

  /** False when scans would not survive a reload (no IndexedDB). */
  get durable(): boolean {
    return this.db !== null;
  }

  get size(): number {
    return this.items.length;
  }

  list(): readonly QueuedScan[] {
    return this.items;
  }

  first(): QueuedScan | undefined {
    return this.items[0];
  }

  /** Stored (durably when possible) before this resolves. */
  async add(scan: Omit<QueuedScan, 'seq' | 'userId'>): Promise<QueuedScan> {
    const item: QueuedScan = { ...scan, userId: this.userId };
    if (this.db) {
      const tx = this.db.transaction(STORE, 'readwrite');
      const stored = committed(tx);
      item.seq = (await done(tx.objectStore(STORE).add(item))) as number;
      await stored;
    }
    if (!this.items.some((i) => i.scanId === item.scanId)) this.items.push(item); // a reload may have read it already
    return item;
  }

  async remove(scanId: string): Promise<void> {
    const item = this.items.find((i) => i.scanId === scanId);
    if (!item) return;
    this.items = this.items.filter((i) => i !== item);
    if (this.db && item.seq !== undefined) {
      await done(this.db.transaction(STORE, 'readwrite').objectStore(STORE).delete(item.seq));
    }
  }

  /** Drops a scan another tab has sent (and already deleted from IndexedDB) from this tab's copy. */
  forget(scanId: string): void {
    this.items = this.items.filter((i) => i.scanId !== scanId);
  }

  /** Scans of this parent still waiting (its children, and the parent scan itself). */
  waitingFor(parentCode: string): QueuedScan[] {
    return this.items.filter((i) => i.parentCode === parentCode || (i.kind === 'parent' && i.code === parentCode));
  }
}
