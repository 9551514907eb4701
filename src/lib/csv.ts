/**
 * CSV lines (RFC 4180 quoting) that are also safe to open in a spreadsheet: a cell starting
 * with = + - @ or a tab/CR is prefixed with ' so it is shown as text, never run as a formula
 * (history rows hold user-typed codes and names).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line of cells, CRLF-terminated. */
export const csvLine = (values: unknown[]): string => `${values.map(csvCell).join(',')}\r\n`;
