/** Multipart uploads for POST /api/imports, and spreadsheet builders for test files. */
import ExcelJS from 'exceljs';
import type { Client } from './http.js';

export interface UploadOptions {
  kind?: string;
  dryRun?: boolean | string;
  fileName?: string;
  /** Send the file before the fields (refused: the fields must come first). */
  fileFirst?: boolean;
}

export function multipartBody(
  fields: Record<string, string>,
  file: { name: string; content: Buffer | string; type?: string } | undefined,
  fileFirst = false,
) {
  const boundary = `----tt${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  const field = () =>
    Object.entries(fields).map(([k, v]) =>
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
    );
  const filePart = () => {
    if (!file) return;
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  };
  if (fileFirst) {
    filePart();
    field();
  } else {
    field();
    filePart();
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(c: Client, content: Buffer | string, o: UploadOptions = {}) {
  const fields: Record<string, string> = {};
  if (o.kind !== undefined) fields.kind = o.kind;
  if (o.dryRun !== undefined) fields.dryRun = String(o.dryRun);
  const { body, contentType } = multipartBody(fields, { name: o.fileName ?? 'data.csv', content }, o.fileFirst);
  return c.request('POST', '/api/imports', body, { 'content-type': contentType });
}

export const csv = (rows: (string | number)[][]): string =>
  `${rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n')}\r\n`;

export async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Parses a CSV download (no quoted newlines in our reports). */
export const csvRows = (text: string): string[][] =>
  text
    .trim()
    .split(/\r\n/)
    .map((l) => l.split(','));

/** A bags file with one row of each outcome; the comments give its row number and expected result. */
export const bagsFile = csv([
  ['code', 'type', 'parent_code', 'area'],
  ['SB10001', 'parent', '', 'indore'], // 2 created
  ['CH000001', 'child', 'SB10001', ''], // 3 linked
  ['CH000002', 'child', '', ''], // 4 created, unlinked
  ['SB1', 'parent', '', ''], // 5 invalid_format
  ['CH000003', 'child', 'CH000002', ''], // 6 wrong_bag_type (parent is a child)
  ['CH000004', 'box', '', ''], // 7 validation_failed
  ['SB10002', 'parent', '', 'atlantis'], // 8 validation_failed (area)
  ['CH000005', 'child', 'SB99999', ''], // 9 parent_not_found
  ['SB10001', 'child', '', ''], // 10 wrong_bag_type (a parent)
]);
