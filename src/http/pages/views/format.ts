/**
 * The one time format of pages (SPEC: DD/MM/YY HH:MM in DISPLAY_TIMEZONE); the API stays UTC
 * ISO-8601. Formatters are built once per zone: Intl.DateTimeFormat construction is the slow
 * part, and a bag page formats a hundred times.
 */
import { displayTime, displayTimeFormat } from '../../../lib/display-time.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = displayTimeFormat(timeZone);
    formats.set(timeZone, f);
  }
  return f;
}

/** "25/11/26 11:30" for 2026-11-25T06:00Z in Asia/Kolkata; an em dash for no time. */
export function formatTime(d: Date | string | null | undefined, timeZone: string): string {
  if (d === null || d === undefined) return '—';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return '—';
  return displayTime(formatterOf(timeZone), date);
}

/**
 * The instant a calendar day (YYYY-MM-DD) starts in the zone, e.g. "2026-11-25" in Asia/Kolkata
 * is 2026-11-24T18:30Z. Found by correcting a UTC guess by the zone's offset at that moment
 * (twice, so a day that starts next to a DST change lands right too).
 */
export function startOfDayInZone(day: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const target = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(target)) return undefined;
  let guess = target;
  for (let i = 0; i < 2; i++) guess = target - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** How far the zone's wall clock is ahead of UTC at that moment. */
function offsetMs(d: Date, timeZone: string): number {
  const p = Object.fromEntries(
    formatterOf(timeZone)
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(2000 + Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return wall - Math.floor(d.getTime() / 60_000) * 60_000;
}
