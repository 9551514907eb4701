/**
 * Sends rows as a streamed CSV or XLSX download: the headers go out at once, rows are written
 * as the async source yields them (keyset pages), so the first byte is fast, the row count
 * unbounded and memory flat. An error mid-stream ends the download early (it is logged).
 */
import type { FastifyReply } from 'fastify';
import { sheetStream, writeSheet, type SheetFormat } from '../lib/spreadsheet.js';

const MIME: Record<SheetFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function sendSheet(reply: FastifyReply, format: SheetFormat, fileName: string, header: string[], rows: AsyncIterable<unknown[]>) {
  const out = sheetStream();
  const sheet = writeSheet(out, format, header);
  void (async () => {
    for await (const r of rows) {
      if (out.destroyed) return;
      await sheet.row(r);
    }
    await sheet.end();
  })().catch((err: unknown) => {
    reply.log.error({ err }, 'export stream failed');
    out.destroy(err as Error);
  });
  return reply
    .type(MIME[format])
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(out);
}

/** `tracetrack-<what>-<YYYYMMDD-HHMM>.<ext>` (UTC). */
export function sheetFileName(what: string, at: Date, format: SheetFormat): string {
  const iso = at.toISOString();
  return `tracetrack-${what}-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}.${format}`;
}
