/**
 * Streamed spreadsheet rows in and out, CSV or XLSX, never holding a whole file: csv-parse and
 * exceljs's streaming WorkbookReader/WorkbookWriter. Cells come out as trimmed strings keyed by
 * a folded header name ("Sr. No." → "srno", "parent_code" → "parentcode").
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { csvLine } from './csv.js';

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** The row's number in the file as a spreadsheet shows it (the header is row 1). */
  rowNo: number;
  cells: Record<string, string>;
}

/** Thrown when the file is not a readable CSV/XLSX (the caller answers 400). */
export class BadSheet extends Error {}

export const foldHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export function formatOf(fileName: string): SheetFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  return undefined;
}

/** Rows after the header, blank rows left out. */
export async function* readSheet(input: Readable, format: SheetFormat): AsyncGenerator<SheetRow> {
  try {
    yield* format === 'csv' ? readCsv(input) : readXlsx(input);
  } catch (err) {
    if (err instanceof BadSheet) throw err;
    throw new BadSheet(`The file could not be read as ${format.toUpperCase()}: ${(err as Error).message}`.slice(0, 300));
  }
}

async function* readCsv(input: Readable): AsyncGenerator<SheetRow> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 });
  // pipeline, not pipe: an input that failed before we got here (an upload cut short while
  // the import was starting) still ends the parser with its error instead of never ending it.
  pipeline(input, parser).catch(() => {});
  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = record.map(foldHeader);
      continue;
    }
    const row = toRow(header, record, info.lines);
    if (row) yield row;
  }
}

async function* readXlsx(input: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let header: string[] | undefined;
  for await (const sheet of reader) {
    for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (r.values as unknown[]).slice(1).map(cellText);
      if (!header) {
        if (values.every((v) => v === '')) continue;
        header = values.map(foldHeader);
        continue;
      }
      const row = toRow(header, values, r.number);
      if (row) yield row;
    }
    return; // the first worksheet only
  }
  throw new BadSheet('The workbook has no worksheet');
}

function toRow(header: string[], values: string[], rowNo: number): SheetRow | undefined {
  const cells: Record<string, string> = {};
  let any = false;
  header.forEach((h, i) => {
    const v = (values[i] ?? '').trim();
    if (h && v !== '') any = true;
    if (h) cells[h] = v;
  });
  return any ? { rowNo, cells } : undefined;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    return '';
  }
  return String(v);
}

/** A streamed table writer: header once, then rows; end() flushes and closes the output. */
export interface SheetWriter {
  row(values: unknown[]): Promise<void>;
  end(): Promise<void>;
}

export function writeSheet(out: Writable, format: SheetFormat, header: string[], sheetName = 'data'): SheetWriter {
  if (format === 'csv') {
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
    let started = false;
    return {
      async row(values) {
        if (!started) {
          started = true;
          await write(csvLine(header));
        }
        await write(csvLine(values));
      },
      async end() {
        if (!started) out.write(csvLine(header));
        out.end();
      },
    };
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header).commit();
  return {
    async row(values) {
      ws.addRow(
        values.map((v) =>
          v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v,
        ),
      ).commit();
      // Let the zip stream drain so memory stays flat on long exports.
      if (out.writableNeedDrain) await new Promise<void>((res) => out.once('drain', () => res()));
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}

/** A PassThrough the HTTP layer can send as the reply body while rows are written into it. */
export const sheetStream = (): PassThrough => new PassThrough({ highWaterMark: 64 * 1024 });
