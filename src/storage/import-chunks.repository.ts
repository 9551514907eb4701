/**
 * The set-based side of a chunked import (domain/imports/chunk-store.ts): one statement locks
 * and reads every bag a chunk names, and a few statements write back what the rules decided —
 * new bags (parents resolved by code, so a child can name a parent created in the same chunk)
 * and the changed columns of existing bags. Rows travel as one JSON parameter, which both
 * PostgreSQL and PGlite take the same way.
 */
import { sql } from 'kysely';
import type { BagRecord } from '../domain/bags/bag.js';
import type { Tx } from './database.js';
import { toBag, type BagRow } from './bags.repository.js';

/** A bag row as the chunk writes it; `parentCode` names the parent (created or existing). */
export interface ChunkBagRow {
  id: string | null;
  code: string;
  type: string;
  kindId: string | null;
  areaId: string;
  status: string;
  capacity: number | null;
  childCount: number;
  parentCode: string | null;
  linkedBy: string | null;
  linkedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the chunk completed the parent; otherwise the stored value stays. */
  completedAt: Date | null;
}

/**
 * Locks the bags with these codes (FOR UPDATE, in code order) and then the bills of those on a
 * bill (FOR NO KEY UPDATE) — the scan path's parent-then-bill order — and reads them.
 *
 * One unique-index probe per code, by construction (a lateral sub-select with its own lock is
 * never flattened): a plain `code in (…500 codes)` let the planner pick a sequential scan or the
 * trigram index on a freshly filled, not yet analysed table, and a 100,000-row import spent
 * most of its time there (docs/benchmarks.md).
 */
export async function lockBagsByCodes(tx: Tx, codes: string[]): Promise<BagRecord[]> {
  if (!codes.length) return [];
  const rows = (
    await sql<BagRow>`select b.*, (select p.code from bags p where p.id = b.parent_id) as parent_code,
      (select bl.bill_id from bills bl where bl.id = b.bill_id) as bill_code, (select bl.status from bills bl where bl.id = b.bill_id) as bill_status
    from (select distinct c.value as code from jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as c order by 1) as c
    cross join lateral (select * from bags x where x.code = c.code for update) as b`.execute(tx)
  ).rows;
  const billIds = [...new Set(rows.map((r) => r.bill_id).filter((id) => id !== null))];
  if (!billIds.length) return rows.map(toBag);
  const bills = await tx.selectFrom('bills').select(['id', 'status']).where('id', 'in', billIds).orderBy('id').forNoKeyUpdate().execute();
  const status = new Map(bills.map((b) => [String(b.id), b.status]));
  return rows.map((r) => toBag(r.bill_id === null ? r : { ...r, bill_status: status.get(String(r.bill_id)) ?? r.bill_status }));
}

const COLUMNS = sql.raw(`id bigint, code text, type text, "kindId" text, "areaId" text, status text, capacity integer, "childCount" integer,
  "parentCode" text, "linkedBy" bigint, "linkedAt" timestamptz, "createdBy" bigint, "createdAt" timestamptz, "updatedAt" timestamptz,
  "completedAt" timestamptz`);

/** The parent's id by code: a unique-index probe per row, whatever the table's statistics say. */
const PARENT_ID = sql`(select p.id from bags p where p.code = v."parentCode")`;

/** Inserts new bags; the number inserted (fewer than given when a code appeared meanwhile). */
export async function insertChunkBags(tx: Tx, rows: ChunkBagRow[]): Promise<number> {
  if (!rows.length) return 0;
  const r = await sql`insert into bags (code, type, kind_id, area_id, status, capacity, child_count, parent_id, linked_by, linked_at,
      created_by, created_at, updated_at, completed_at)
    select v.code, v.type, v."kindId", v."areaId", v.status, v.capacity, v."childCount", ${PARENT_ID}, v."linkedBy", v."linkedAt",
      v."createdBy", v."createdAt", v."updatedAt", v."completedAt"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${COLUMNS})
    on conflict (code) do nothing`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}

/** Writes the changed columns of existing (locked) bags; the number updated. */
export async function updateChunkBags(tx: Tx, rows: ChunkBagRow[]): Promise<number> {
  if (!rows.length) return 0;
  const r = await sql`update bags b set status = v.status, child_count = v."childCount", parent_id = ${PARENT_ID}, linked_by = v."linkedBy",
      linked_at = v."linkedAt", area_id = v."areaId", completed_at = coalesce(v."completedAt", b.completed_at), updated_at = v."updatedAt"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(${COLUMNS})
    where b.id = v.id`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}
