/** Scan-station helpers for API tests: scan calls, filling a parent, reading history rows. */
import { sql } from 'kysely';
import type { App } from '../../src/app.js';
import { insertBag, type NewBag } from '../../src/storage/bags.repository.js';
import type { Client } from './http.js';

export const scanParent = (c: Client, code: string, extra: Record<string, unknown> = {}) => c.post('/api/scans/parent', { code, ...extra });

export const scanChild = (c: Client, parentCode: string, code: string, extra: Record<string, unknown> = {}) =>
  c.post('/api/scans/child', { parentCode, code, ...extra });

/** A child code that fits the default child pattern, e.g. childCode(7) = 'C0000007'. */
export const childCode = (i: number, prefix = 'C') => `${prefix}${String(i).padStart(7, '0')}`;

/** Scans n new children into a parent, one after another; throws on the first refusal. */
export async function fill(c: Client, parentCode: string, n: number, prefix = 'C', from = 1): Promise<string[]> {
  const codes: string[] = [];
  for (let i = from; i < from + n; i++) {
    const code = childCode(i, prefix);
    const res = await scanChild(c, parentCode, code);
    if (res.statusCode !== 200) throw new Error(`child ${code}: ${res.statusCode} ${res.body}`);
    codes.push(code);
  }
  return codes;
}

export interface EventRow {
  action: string;
  outcome: string;
  subject: string | null;
  related: string | null;
  area_id: string | null;
  actor_id: string | null;
  station: string | null;
  details: Record<string, unknown> | null;
}

/** Scan and bag history rows, oldest first, optionally only those about one bag (subject or related). */
export async function events(app: App, bagCode?: string): Promise<EventRow[]> {
  let q = app.ctx.db
    .selectFrom('events')
    .select(['action', 'outcome', 'subject', 'related', 'area_id', 'actor_id', 'station', 'details'])
    .where((eb) => eb.or([eb('action', 'like', 'scan.%'), eb('action', 'like', 'bag.%')]))
    .orderBy('id');
  if (bagCode) q = q.where((eb) => eb.or([eb('subject', '=', bagCode), eb('related', '=', bagCode)]));
  return (await q.execute()) as EventRow[];
}

export async function countRows(app: App, table: 'bags' | 'events' | 'scan_requests'): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(app.ctx.db);
  return Number(r.rows[0]!.n);
}

/** Inserts a bag directly, as an import of legacy data would (no pattern check). */
export async function insertLegacyBag(app: App, b: Partial<NewBag> & { code: string; type: NewBag['type'] }) {
  const bag = await insertBag(
    app.ctx.db,
    {
      kindId: null,
      areaId: 'lucknow',
      status: b.type === 'parent' ? 'pending' : 'unlinked',
      capacity: b.type === 'parent' ? 30 : null,
      createdBy: null,
      ...b,
    },
    new Date(),
  );
  if (!bag) throw new Error(`bag ${b.code} exists`);
  return bag;
}
