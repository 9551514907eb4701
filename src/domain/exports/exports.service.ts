/**
 * Exports (SPEC §10): every row a list would show, as a stream of keyset pages — the list use
 * cases themselves walked cursor by cursor (their filters, their scoping), so an export has no
 * row cap and holds one page at a time. Dispatchers get their own area's bags and events only.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { scopedArea } from '../areas/area-scope.js';
import { auditEvents, type AuditFilter } from '../audit/audit.service.js';
import type { HistoryEvent } from '../audit/event.js';
import { listBags, MAX_PAGE, type BagListFilter } from '../bags/bag-list.service.js';
import type { Bag } from '../bags/bag.js';
import { listBills, type ListBillsInput } from '../bills/bills.service.js';
import type { BillRecord } from '../bills/bill.js';
import { listUsers } from '../users/users.service.js';
import type { User } from '../users/user.js';

export const EXPORT_KINDS = ['bags', 'bills', 'events', 'users'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const BILL_PAGE = 1000;

/** An export's keyset page: long enough that the round trip is small beside writing the rows. */
export const EXPORT_PAGE = 2000;

/**
 * Keyset pages read one ahead: the next page's query runs while the current one is written
 * out, so the database and the writer work at the same time (one extra pooled connection).
 */
export async function* bagsExport(ctx: Ctx, actor: Actor, f: BagListFilter): AsyncGenerator<Bag> {
  // The first page is a screen's (MAX_PAGE): the first byte leaves as soon as it would for the list.
  yield* prefetched((cursor) => listBags(ctx, actor, f, { cursor, limit: cursor === undefined ? MAX_PAGE : EXPORT_PAGE }, EXPORT_PAGE));
}

async function* prefetched<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): AsyncGenerator<T> {
  let next: Promise<{ items: T[]; nextCursor: string | null }> | undefined = read(undefined);
  while (next) {
    const page: { items: T[]; nextCursor: string | null } = await next;
    next = page.nextCursor === null ? undefined : read(page.nextCursor);
    // A download cut short leaves this read unawaited: its failure must not become an unhandled rejection.
    next?.catch(() => {});
    yield* page.items;
  }
}

export async function* billsExport(ctx: Ctx, f: Omit<ListBillsInput, 'cursor' | 'limit'>): AsyncGenerator<BillRecord> {
  yield* prefetched((cursor) => listBills(ctx, { ...f, cursor, limit: BILL_PAGE }));
}

/** The history, newest first; a dispatcher's holds their area's events only. */
export async function* eventsExport(ctx: Ctx, actor: Actor, f: AuditFilter): AsyncGenerator<HistoryEvent> {
  yield* await auditEvents(ctx, { ...f, area: scopedArea(actor) ?? undefined });
}

export async function* usersExport(ctx: Ctx): AsyncGenerator<User> {
  yield* await listUsers(ctx);
}

/**
 * Runs the first step of a stream before anything is sent, so a refusal (bad filter, bad
 * cursor) is still an ordinary 4xx answer; then hands back the whole stream.
 */
export async function primed<T>(gen: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await gen.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* gen;
  })();
}
