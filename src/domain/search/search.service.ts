/**
 * The one search box (SPEC §5): any bag code or bill id, scanned or typed. The query is
 * normalised like a scan, so " sb00860\r\n" finds SB00860. An exact match comes first (the page
 * jumps straight to it) with the other codes starting with it; otherwise prefix suggestions,
 * then contains suggestions.
 *
 * Visibility is the read rule of SPEC §1: a dispatcher's queries are limited to their area in
 * SQL, so another area's bag is simply not there (no hint that it exists); bills are for the
 * roles that may read bills. When a bag code and a bill id are equal, the bag is the exact hit
 * and the bill still appears in the bill suggestions.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { Bag } from '../bags/bag.js';
import { scopedArea } from '../areas/area-scope.js';
import { normaliseCode } from '../codes.js';
import { assertCan, can } from '../permissions.js';
import { bagsContaining, billsContaining, codesByPrefix, countBagsStartingWith } from '../../storage/search.repository.js';
import type { BillHit } from './bill-hit.js';

/** Suggestions per kind (bags, bills). */
export const SEARCH_LIMIT = 10;
/** Trigrams need three characters; a shorter query gets prefix suggestions only. */
const MIN_CONTAINS = 3;

export type ExactHit = { type: 'bag'; code: string } | { type: 'bill'; billId: string };

export interface SearchResult {
  exact: ExactHit | null;
  bags: Bag[];
  bills: BillHit[];
}

const NOTHING: SearchResult = { exact: null, bags: [], bills: [] };
/** Input with nothing visible in it: no search (and no invalid_format for an empty box). */
const BLANK = /^[\s\p{Cf}\p{Cc}]*$/u;

export async function search(ctx: Ctx, actor: Actor, raw: string): Promise<SearchResult> {
  assertCan(actor, 'bags.read');
  if (BLANK.test(raw)) return NOTHING;
  const q = normaliseCode(raw); // over 255 characters: invalid_format
  const area = scopedArea(actor);
  const withBills = can(actor, 'bills.read');
  const { bags: bagPrefix, bills: billPrefix } = await codesByPrefix(ctx.db, q, SEARCH_LIMIT, area, withBills);
  // Byte order puts the code equal to the prefix first, so an exact hit is always element 0.
  const exact: ExactHit | null =
    bagPrefix[0]?.code === q ? { type: 'bag', code: q } : billPrefix[0]?.billId === q ? { type: 'bill', billId: q } : null;
  // An exact hit is what was meant (the page jumps to it): no contains search, which is the
  // costly part at 2M bags when a code's trigrams are common.
  const contains = exact === null && q.length >= MIN_CONTAINS && bagPrefix.length < SEARCH_LIMIT && (await fewStartWith(ctx, q, area));
  const [bagMore, billMore] = await Promise.all([
    contains ? bagsContaining(ctx.lookups, q, area, SEARCH_LIMIT - bagPrefix.length) : Promise.resolve([]),
    contains && withBills && billPrefix.length < SEARCH_LIMIT
      ? billsContaining(ctx.lookups, q, SEARCH_LIMIT - billPrefix.length)
      : Promise.resolve([]),
  ]);
  return { exact, bags: [...bagPrefix, ...bagMore], bills: [...billPrefix, ...billMore] };
}

/**
 * Contains suggestions — bags and bills alike — come only when fewer than SEARCH_LIMIT bag codes
 * in any area start with the text, the same rule for every role. Text that starts that many
 * codes is being typed from a bag code's front, and its trigrams are those of the codes it
 * starts: at 2M bags a contains search over them reads most of the trigram index and runs into
 * its bound (docs/lookups.md), and over the bills' ids it read ~1.3 ms of common digit trigrams
 * to find nothing (docs/decisions/0041). A dispatcher's prefix list is cut to their area, so it
 * can be short while the text still starts many codes; an unscoped list already holds the answer.
 */
async function fewStartWith(ctx: Ctx, q: string, area: string | null): Promise<boolean> {
  return area === null || (await countBagsStartingWith(ctx.db, q, SEARCH_LIMIT)) < SEARCH_LIMIT;
}
