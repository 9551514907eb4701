/**
 * The scan store (scans/scan-store.ts) an import runs the scan rules on, one chunk of file rows
 * at a time (ADR 0024). Opening a chunk locks and reads every bag its rows name in one
 * statement; the rules then read and write these rows in memory, and `flush` writes them back
 * in a few set-based statements inside the chunk's transaction. What a later row sees is exactly
 * what the database would show it after the earlier rows, so the outcomes (and the history)
 * are those of row-by-row processing. A label block's savepoint is a mark in this store's
 * journal: rolling back restores the rows as they were at the mark.
 *
 * A code first named mid-chunk (not pre-read) is locked and read on the spot. New bags carry a
 * stand-in id (`new:CODE`) until the flush, which names parents by code.
 */
import type { Area } from '../areas/area.js';
import { areaOfLinkedChild, parentStatusAt, type BagRecord } from '../bags/bag.js';
import { billChildrenMoved } from '../bills/bill-counters.js';
import { txStore, type ScanStore } from '../scans/scan-store.js';
import { findArea, firstArea } from '../../storage/areas.repository.js';
import type { NewBag } from '../../storage/bags.repository.js';
import type { ChildToLink } from '../../storage/bag-links.repository.js';
import type { Tx } from '../../storage/database.js';
import { insertChunkBags, lockBagsByCodes, updateChunkBags, type ChunkBagRow } from '../../storage/import-chunks.repository.js';
import { releaseSavepoint, rollbackToSavepoint, savepoint } from '../../storage/imports.repository.js';

interface Entry {
  rec: BagRecord;
  isNew: boolean;
  dirty: boolean;
  createdBy: string | null;
  updatedAt: Date | null;
  completedAt: Date | null;
}

/** The chunk could not be written as decided (a code created meanwhile by a scan): run it again. */
export class ChunkConflict extends Error {}

export interface ImportStore extends ScanStore {
  savepoint(): Promise<void>;
  releaseSavepoint(): Promise<void>;
  rollbackToSavepoint(): Promise<void>;
}

/**
 * The reference: every rule call its own statements on the transaction, a label block under a
 * SQL savepoint — how imports ran before ADR 0024. Tests hold the chunk store to it.
 */
export function rowByRowStore(tx: Tx): ImportStore & { flush(now: Date): Promise<void> } {
  return {
    ...txStore(tx),
    savepoint: async () => void (await savepoint(tx)),
    releaseSavepoint: async () => void (await releaseSavepoint(tx)),
    rollbackToSavepoint: async () => void (await rollbackToSavepoint(tx)),
    flush: async () => {},
  };
}

export class ChunkStore implements ImportStore {
  /** By code; null: known not to exist. */
  private readonly bags = new Map<string, Entry | null>();
  private readonly codeById = new Map<string, string>();
  private journal: { code: string; prev: Entry | null | undefined }[] = [];
  private billDeltas: { billId: string; delta: number }[] = [];
  private mark: { journal: number; bills: number } | undefined;
  private areas = new Map<string, Area | undefined>();
  private first: { area: Area | undefined } | undefined;

  private constructor(readonly tx: Tx) {}

  static async open(tx: Tx, codes: Iterable<string>): Promise<ChunkStore> {
    const s = new ChunkStore(tx);
    await s.load([...new Set(codes)]);
    return s;
  }

  private async load(codes: string[]): Promise<void> {
    for (const c of codes) this.bags.set(c, null);
    for (const rec of await lockBagsByCodes(this.tx, codes)) {
      this.bags.set(rec.code, { rec, isNew: false, dirty: false, createdBy: null, updatedAt: null, completedAt: null });
      this.codeById.set(rec.id, rec.code);
    }
  }

  private async entry(code: string): Promise<Entry | null> {
    if (!this.bags.has(code)) await this.load([code]);
    return this.bags.get(code) ?? null;
  }

  private put(code: string, e: Entry): void {
    this.journal.push({ code, prev: this.bags.get(code) });
    this.bags.set(code, e);
    this.codeById.set(e.rec.id, code);
  }

  async findBag(code: string): Promise<BagRecord | undefined> {
    return (await this.entry(code))?.rec;
  }

  async lockParentFindChild(parentCode: string, code: string): Promise<{ parent?: BagRecord; child?: BagRecord }> {
    const parent = (await this.entry(parentCode))?.rec;
    const child = (await this.entry(code))?.rec;
    return { ...(parent ? { parent } : {}), ...(child ? { child } : {}) };
  }

  async insertBag(b: NewBag, now: Date): Promise<BagRecord | undefined> {
    if (await this.entry(b.code)) return undefined;
    const rec: BagRecord = {
      id: `new:${b.code}`,
      code: b.code,
      type: b.type,
      kind: b.kindId,
      area: b.areaId,
      status: b.status,
      childCount: b.childCount ?? 0,
      capacity: b.capacity,
      parentId: b.parent?.id ?? null,
      parentCode: b.parent?.code ?? null,
      linkedBy: b.parent?.linkedBy ?? null,
      linkedAt: b.parent ? now : null,
      billId: null,
      billCompleted: false,
      createdAt: now,
    };
    this.put(b.code, { rec, isNew: true, dirty: true, createdBy: b.createdBy, updatedAt: now, completedAt: null });
    return rec;
  }

  async linkIntoParent(
    child: ChildToLink,
    parent: BagRecord,
    linkedBy: string,
    now: Date,
  ): Promise<{ child: BagRecord; parent: BagRecord } | undefined> {
    let linked: BagRecord | undefined;
    if ('existingId' in child) {
      const code = this.codeById.get(child.existingId);
      const e = code === undefined ? null : await this.entry(code);
      if (e?.rec.type !== 'child' || e.rec.parentId !== null) return undefined;
      linked = {
        ...e.rec,
        parentId: parent.id,
        parentCode: parent.code,
        status: 'linked',
        linkedBy,
        linkedAt: now,
        area: areaOfLinkedChild(parent),
      };
      this.put(e.rec.code, { ...e, rec: linked, dirty: true, updatedAt: now });
    } else {
      linked = await this.insertBag(child.create, now);
      if (!linked) return undefined;
    }
    const p = (await this.entry(parent.code))!;
    const count = p.rec.childCount + 1;
    // The SQL path's rule (storage/bags.repository.ts): a link only ever completes a parent.
    const completes = p.rec.capacity !== null && parentStatusAt(count, p.rec.capacity) === 'completed';
    const status = completes ? 'completed' : p.rec.status;
    const completedAt = completes && p.rec.status !== 'completed' ? now : p.completedAt;
    this.put(parent.code, { ...p, rec: { ...p.rec, childCount: count, status }, dirty: true, updatedAt: now, completedAt });
    return { child: { ...linked, billId: null, billCompleted: false }, parent: { ...parent, childCount: count, status } };
  }

  async billChildrenChanged(parent: Pick<BagRecord, 'billId'>, delta: 1 | -1): Promise<void> {
    if (parent.billId !== null) this.billDeltas.push({ billId: parent.billId, delta });
  }

  async findArea(id: string): Promise<Area | undefined> {
    if (!this.areas.has(id)) this.areas.set(id, await findArea(this.tx, id));
    return this.areas.get(id);
  }

  async firstArea(): Promise<Area | undefined> {
    this.first ??= { area: await firstArea(this.tx) };
    return this.first.area;
  }

  async savepoint(): Promise<void> {
    this.mark = { journal: this.journal.length, bills: this.billDeltas.length };
  }

  async releaseSavepoint(): Promise<void> {
    this.mark = undefined;
  }

  async rollbackToSavepoint(): Promise<void> {
    const m = this.mark!;
    while (this.journal.length > m.journal) {
      const { code, prev } = this.journal.pop()!;
      const now = this.bags.get(code);
      if (now) this.codeById.delete(now.rec.id);
      if (prev === undefined) this.bags.delete(code);
      else this.bags.set(code, prev);
      if (prev) this.codeById.set(prev.rec.id, code);
    }
    this.billDeltas.length = m.bills;
    this.mark = undefined;
  }

  /** Writes the chunk: new parents and loose bags, then children of new parents, then changes. */
  async flush(now: Date): Promise<void> {
    const dirty = [...this.bags.values()].filter((e): e is Entry => !!e?.dirty);
    const created = dirty.filter((e) => e.isNew);
    const newParent = (e: Entry) => e.rec.parentCode !== null && this.bags.get(e.rec.parentCode)?.isNew === true;
    const first = created.filter((e) => !newParent(e));
    const second = created.filter(newParent);
    const inserted = (await insertChunkBags(this.tx, first.map(rowOf))) + (await insertChunkBags(this.tx, second.map(rowOf)));
    if (inserted !== created.length) throw new ChunkConflict(`${created.length - inserted} of the chunk's new codes appeared meanwhile`);
    const changed = dirty.filter((e) => !e.isNew);
    if ((await updateChunkBags(this.tx, changed.map(rowOf))) !== changed.length)
      throw new Error('a locked bag of the import chunk disappeared');
    const perBill = new Map<string, number>();
    for (const d of this.billDeltas) perBill.set(d.billId, (perBill.get(d.billId) ?? 0) + d.delta);
    await billChildrenMoved(this.tx, perBill, now);
  }
}

const rowOf = (e: Entry): ChunkBagRow => ({
  id: e.isNew ? null : e.rec.id,
  code: e.rec.code,
  type: e.rec.type,
  kindId: e.rec.kind,
  areaId: e.rec.area,
  status: e.rec.status,
  capacity: e.rec.capacity,
  childCount: e.rec.childCount,
  parentCode: e.rec.parentCode,
  linkedBy: e.rec.linkedBy,
  linkedAt: e.rec.linkedAt,
  createdBy: e.createdBy,
  createdAt: e.rec.createdAt,
  updatedAt: e.updatedAt!,
  completedAt: e.completedAt,
});
