/**
 * The one time format people read (SPEC: DD/MM/YY HH:MM in DISPLAY_TIMEZONE), for the server's
 * pages (http/pages/views/format.ts) and the live dashboard in the browser (client/dashboard.ts),
 * so the two can never show a time differently. Pure and without imports: the client bundle
 * takes it as it takes domain/codes.ts.
 */

/** A formatter for the zone (the runtime's own zone when none is given); an unknown zone throws a RangeError. */
export function displayTimeFormat(timeZone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: '2-digit',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** "25/11/26 11:30": the instant on the formatter's wall clock. */
export function displayTime(format: Intl.DateTimeFormat, at: Date): string {
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(at)) p[part.type] = part.value;
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
