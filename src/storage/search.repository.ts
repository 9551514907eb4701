/**
 * Search look-ups over bag codes and bill ids (migration 0005's indexes). Each query is bounded,
 * whatever the input: a prefix walks the text_pattern_ops btree in its own order and stops
 * after a fixed number of rows; a contains search asks the trigram GIN on the look-up pool
 * (`Database.lookups`, storage/database.ts), whose sessions cancel a statement after
 * LOOKUP_TIMEOUT_MS and plan no sequential scan, and gives no suggestions rather than a slow
 * answer when a pattern's trigrams are in a million codes ("000"). Without the scan switched
 * off, the planner at 2M bags would bet on finding LIMIT rows early in a sequential scan, and
 * lose badly on a rare pattern. Both are session settings of that pool, so a contains look-up is
 * one statement with no transaction around it (it was five round trips: begin, two SET LOCAL,
 * the select, commit). (gin_fuzzy_search_limit was tried and dropped: it samples each trigram's
 * entries before intersecting them, so a rare code made of common trigrams was not found.)
 */
import { sql } from 'kysely';
import { publicBag, type Bag } from '../domain/bags/bag.js';
import type { BillStatus } from '../domain/bills/bill.js';
import type { BillHit } from '../domain/search/bill-hit.js';
import { BAG_FIELDS, type BagFields, selectBag, toBag } from './bags.repository.js';
import type { Db, Executor } from './database.js';
import { statement } from './prepared.js';

/** How many index entries a dispatcher's prefix search reads before filtering by area (~50 of their area among 10). */
const PREFIX_WINDOW = 500;

/** Runs a contains look-up on the look-up pool; one cancelled by its timer finds nothing. */
async function bounded<T>(lookups: Db, run: (ex: Db) => Promise<T[]>): Promise<T[]> {
  try {
    return await run(lookups);
  } catch (err) {
    if ((err as { code?: unknown }).code === '57014') return []; // query_canceled: too common a pattern
    throw err;
  }
}

/** LIKE pattern text for a literal: %, _ and the escape character itself lose their meaning. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** LIKE patterns for text that starts, or contains, `q` (its wildcards taken literally). */
export const startsWith = (q: string) => `${likeLiteral(q)}%`;
export const containing = (q: string) => `%${likeLiteral(q)}%`;

/**
 * `column` starts with $1: the range of the text_pattern_ops btree from $1 up to $1 followed by
 * the highest code point (byte order is UTF-8's: every longer text starting with $1 sorts
 * inside). The prefix look-ups are named statements, parsed once per connection. Unlike `like
 * 'Q%'`, a range keeps its index in a plan made before $1 is known, so when PostgreSQL keeps one
 * plan for a statement (it does for the count) that plan never reads the table; and no
 * character of $1 is a wildcard. (docs/decisions/0040)
 */
const startsAt = (column: string) => `${column} ~>=~ $1 and ${column} ~<~ ($1 || chr(1114111))`;

/** How many bag codes, in any area, start with `q` — counted up to `upTo` (an index-only walk of bags_code_key). */
export async function countBagsStartingWith(ex: Executor, q: string, upTo: number): Promise<number> {
  const [row] = await countBagsStartingWithSql(ex, [q, upTo]);
  return Number(row!.n);
}
const countBagsStartingWithSql = statement<{ n: string }>(
  'count_bags_starting_with',
  `select count(*) as n from (select code from bags where ${startsAt('code')} limit $2) w`,
);

/** Bags whose code contains `q` (3+ characters: a trigram), but does not start with it. */
export async function bagsContaining(lookups: Db, q: string, area: string | null, limit: number): Promise<Bag[]> {
  const contains = containing(q);
  const prefix = startsWith(q);
  return bounded(lookups, async (ex) => {
    let s = selectBag(ex).where(sql<boolean>`b.code like ${contains}`).where(sql<boolean>`b.code not like ${prefix}`);
    if (area !== null) s = s.where('b.area_id', '=', area);
    const rows = await s.limit(limit).execute();
    return rows.map((r) => publicBag(toBag(r))).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  });
}

const BILL_COLUMNS = ['bill_id', 'status', 'capacity', 'parent_count', 'created_at'] as const;
type BillRow = { bill_id: string; status: string; capacity: number; parent_count: number; created_at: Date };
const toHit = (r: BillRow): BillHit => ({
  billId: r.bill_id,
  status: r.status as BillStatus,
  capacity: r.capacity,
  parentCount: r.parent_count,
  createdAt: r.created_at,
});

/**
 * Bags and bills whose code starts with `q`, each list in byte order (`USING ~<~` is the order of
 * the text_pattern_ops indexes, so the exact code or id, if any, comes first), as one statement:
 * one round trip and one backend per search (docs/decisions/0041). `area` limits the bags: their
 * window is then PREFIX_WINDOW index entries, filtered to the area. `withBills` false leaves the
 * bills out. A bill's row comes in the bag columns it shares (code, status, capacity, created_at)
 * and its parent count.
 */
export async function codesByPrefix(
  ex: Executor,
  q: string,
  limit: number,
  area: string | null,
  withBills: boolean,
): Promise<{ bags: Bag[]; bills: BillHit[] }> {
  const rows = await codesByPrefixSql(ex, [q, area === null ? limit : PREFIX_WINDOW, limit, area, withBills]);
  return {
    bags: rows.filter((r) => r.part === 'bag').map((r) => publicBag(toBag(r))),
    bills: rows
      .filter((r) => r.part === 'bill')
      .map((r) =>
        toHit({ bill_id: r.code, status: r.status, capacity: r.capacity!, parent_count: r.parent_count!, created_at: r.created_at }),
      ),
  };
}
const codesByPrefixSql = statement<BagFields & { part: 'bag' | 'bill'; parent_count: number | null }>(
  'codes_by_prefix',
  `(select 'bag' as part, ${BAG_FIELDS}, null::int as parent_count from bags b
     where b.id in (select id from bags where ${startsAt('code')} order by code using ~<~ limit $2)
       and ($4::text is null or b.area_id = $4)
     order by b.code using ~<~ limit $3)
   union all
   (select 'bill', null, bill_id, null, null, null, status, null, capacity, null, null, null, created_at, null, null, null, parent_count
      from bills where $5::boolean and ${startsAt('bill_id')} order by bill_id using ~<~ limit $3)
   order by part, code using ~<~`,
);

/** Bills whose id contains `q` but does not start with it (trigram index, bounded). */
export async function billsContaining(lookups: Db, q: string, limit: number): Promise<BillHit[]> {
  return bounded(lookups, async (ex) => {
    const rows = await ex
      .selectFrom('bills')
      .select(BILL_COLUMNS)
      .where(sql<boolean>`bill_id like ${containing(q)}`)
      .where(sql<boolean>`bill_id not like ${startsWith(q)}`)
      .limit(limit)
      .execute();
    return rows.map(toHit).sort((a, b) => (a.billId < b.billId ? -1 : a.billId > b.billId ? 1 : 0));
  });
}
