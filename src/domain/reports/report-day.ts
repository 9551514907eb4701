/** Calendar days in the display time zone (pure). */
import { DomainError } from '../errors.js';

/** YYYY-MM-DD of an instant in a time zone. */
export function localDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** HH:MM (24 h) of an instant in a time zone. */
export function localTime(at: Date, tz: string): string {
  const t = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return t;
}

/** A real calendar day written YYYY-MM-DD between 2000 and 2999, or validation_failed. */
export function parseDay(value: string, name = 'date'): string {
  const m = /^(2\d{3})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== value) throw new DomainError('validation_failed', `${name} must be a day written YYYY-MM-DD`);
  return value;
}

/** The day after a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
