/**
 * Imports (SPEC §10), the pure part: the four kinds, how file rows group into units (a single
 * row, a label block, a bill block), and how a rule's answer becomes a row result. The rules
 * themselves are the scan and bill rules (imports.apply.ts calls them); nothing here repeats one.
 */
import { tryNormaliseCode } from '../codes.js';
import type { ErrorCode } from '../errors.js';

export const IMPORT_KINDS = ['bags', 'bills', 'label_batches', 'bill_batches'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The first errors the POST answer carries; the report has all of them. */
export const ANSWER_ERRORS = 100;
/** Longest label or bill block kept in memory; a longer one is refused row by row. */
export const MAX_BLOCK_ROWS = 10_000;

export interface Row {
  rowNo: number;
  cells: Record<string, string>;
}

export type Unit =
  | { type: 'row'; row: Row }
  /** Children (their label numbers) closed by a parent row; all-or-nothing. */
  | { type: 'label_block'; children: { row: Row; code: string }[]; parent: Row | undefined }
  /** Parent codes closed by a bill row (Sr. No. holds "Bill", the bill id in the code column). */
  | { type: 'bill_block'; parents: Row[]; bill: Row | undefined };

export type RowOutcome = 'created' | 'linked' | 'skipped' | 'failed';

export interface RowResult {
  rowNo: number;
  code: string | null;
  outcome: RowOutcome;
  /** Failed: the error code; skipped: why nothing changed (already_linked, resumed…). */
  reason?: ErrorCode | string;
  message?: string;
}

export interface ImportCounts {
  rows: number;
  created: number;
  linked: number;
  skipped: number;
  failed: number;
}

export const emptyCounts = (): ImportCounts => ({ rows: 0, created: 0, linked: 0, skipped: 0, failed: 0 });

export function countResult(c: ImportCounts, r: RowResult): void {
  c.rows += 1;
  c[r.outcome] += 1;
}

/** Answers that changed nothing: the row is skipped, so a second import of a file is all skips. */
export const UNCHANGED = new Set(['resumed', 'already_linked', 'already_on_bill', 'exists']);

/** `LABEL NO.0016586 LOT NO.:…` → `0016586` (the label number is the child's code). */
export function labelNumber(qrText: string): string | undefined {
  return /LABEL\s*NO\.?\s*:?\s*(\d+)/i.exec(qrText)?.[1];
}

const cell = (r: Row, ...names: string[]): string => {
  for (const n of names) if (r.cells[n]) return r.cells[n]!;
  return '';
};
export const qrOf = (r: Row) => cell(r, 'qrcode', 'code', 'qr');
export const srNoOf = (r: Row) => cell(r, 'srno', 'sno', 'serialno');

/** File rows → units. Single-row kinds pass rows through; batch kinds group them into blocks. */
export async function* unitsOf(kind: ImportKind, rows: AsyncIterable<Row>): AsyncGenerator<Unit> {
  if (kind === 'bags' || kind === 'bills') {
    for await (const row of rows) yield { type: 'row', row };
    return;
  }
  if (kind === 'label_batches') {
    let children: { row: Row; code: string }[] = [];
    for await (const row of rows) {
      const label = labelNumber(qrOf(row));
      if (label !== undefined && srNoOf(row) !== '16') {
        children.push({ row, code: label });
        if (children.length > MAX_BLOCK_ROWS) {
          yield { type: 'label_block', children, parent: undefined };
          children = [];
        }
        continue;
      }
      yield { type: 'label_block', children, parent: row };
      children = [];
    }
    if (children.length) yield { type: 'label_block', children, parent: undefined };
    return;
  }
  let parents: Row[] = [];
  for await (const row of rows) {
    if (/bill/i.test(srNoOf(row))) {
      yield { type: 'bill_block', parents, bill: row };
      parents = [];
      continue;
    }
    parents.push(row);
    if (parents.length > MAX_BLOCK_ROWS) {
      yield { type: 'bill_block', parents, bill: undefined };
      parents = [];
    }
  }
  if (parents.length) yield { type: 'bill_block', parents, bill: undefined };
}

/** The rows a unit covers, in file order. */
export function rowsOf(u: Unit): Row[] {
  if (u.type === 'row') return [u.row];
  if (u.type === 'label_block') return [...u.children.map((c) => c.row), ...(u.parent ? [u.parent] : [])];
  return [...u.parents, ...(u.bill ? [u.bill] : [])];
}

/** The code a report line shows for a row: normalised when possible, else a short excerpt. */
export function codeOfRow(kind: ImportKind, r: Row): string | null {
  const raw = kind === 'bags' ? cell(r, 'code') : kind === 'bills' ? cell(r, 'billid') : qrOf(r);
  if (!raw) return null;
  const label = kind === 'label_batches' ? labelNumber(raw) : undefined;
  return label ?? tryNormaliseCode(raw) ?? raw.slice(0, 64);
}

export const cellOf = cell;

/** The bag codes a unit's rows name (normalised): what a chunk pre-reads before its rules run. */
export function bagCodesOf(kind: ImportKind, u: Unit): string[] {
  const codes: (string | undefined)[] = [];
  if (u.type === 'row' && kind === 'bags') codes.push(tryNormaliseCode(cell(u.row, 'code')), tryNormaliseCode(cell(u.row, 'parentcode')));
  if (u.type === 'label_block')
    codes.push(...u.children.map((c) => tryNormaliseCode(c.code)), u.parent && tryNormaliseCode(qrOf(u.parent)));
  return codes.filter((c): c is string => c !== undefined);
}
