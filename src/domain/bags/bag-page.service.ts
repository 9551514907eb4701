/**
 * One bag with everything around it (SPEC §5 bag page): its parent or its children (all, in
 * keyset pages, in scan order), its bill, and its full timeline (every event naming the code:
 * scan attempts accepted or refused, links, unlinks, completion, bill changes, deletes), newest
 * first, in keyset pages. Reads only: a dispatcher asking for another area's bag gets
 * bag_not_found, exactly as for a bag that does not exist.
 *
 * A child's bill is its parent's. The bill itself is shown to the roles that may read bills;
 * everyone sees the bill id on the bag.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { HistoryEvent } from '../audit/event.js';
import { publicBill, type Bill } from '../bills/bill.js';
import { DomainError } from '../errors.js';
import { assertCan, can } from '../permissions.js';
import { canSeeArea } from '../areas/area-scope.js';
import { tryNormaliseCode } from '../codes.js';
import { publicBag, type Bag } from './bag.js';
import { pageLimit, type Page } from './bag-list.service.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { findBagByCode } from '../../storage/bags.repository.js';
import { listChildren } from '../../storage/bag-list.repository.js';
import { findBill } from '../../storage/bills.repository.js';
import { eventsAbout } from '../../storage/timeline.repository.js';

export interface ChildEntry extends Bag {
  linkedAt: Date | null;
}

export interface BagPage {
  bag: Bag;
  parent: Bag | null;
  children: Page<ChildEntry>;
  bill: Bill | null;
  history: Page<HistoryEvent>;
}

export interface BagPageRequest {
  childrenCursor?: string | undefined;
  historyCursor?: string | undefined;
  /** Page size of both lists (default 50, at most 200). */
  limit?: number | undefined;
}

const badCursor = (which: string) =>
  new DomainError('validation_failed', `Bad ${which} cursor: pass back the one the previous answer gave`);
const NO_PAGE = { items: [], nextCursor: null };

export async function bagPage(ctx: Ctx, actor: Actor, rawCode: string, req: BagPageRequest = {}): Promise<BagPage> {
  assertCan(actor, 'bags.read');
  const limit = pageLimit(req.limit);
  const children = req.childrenCursor === undefined ? undefined : decodeCursor(req.childrenCursor, ['int', 'int'] as const);
  if (req.childrenCursor !== undefined && !children) throw badCursor('children');
  const history = req.historyCursor === undefined ? undefined : decodeCursor(req.historyCursor, ['int'] as const);
  if (req.historyCursor !== undefined && !history) throw badCursor('history');

  const code = tryNormaliseCode(rawCode);
  const bag = code === undefined ? undefined : await findBagByCode(ctx.db, code);
  if (!bag || !canSeeArea(actor, bag.area)) throw new DomainError('bag_not_found', `No bag ${code ?? ''}`.trim());

  const [parent, childRows, events] = await Promise.all([
    bag.parentCode === null ? undefined : findBagByCode(ctx.db, bag.parentCode),
    bag.type !== 'parent'
      ? []
      : listChildren(ctx.db, {
          parentId: bag.id,
          after: children ? { linkedUs: children[0], id: String(children[1]) } : undefined,
          limit: limit + 1,
        }),
    eventsAbout(ctx.db, bag.code, history ? String(history[0]) : undefined, limit + 1),
  ]);
  const billId = bag.billId ?? parent?.billId ?? null;
  const bill = billId !== null && can(actor, 'bills.read') ? await findBill(ctx.db, billId) : undefined;

  const shownChildren = childRows.slice(0, limit);
  const lastChild = shownChildren[shownChildren.length - 1];
  const shownEvents = events.slice(0, limit);
  const lastEvent = shownEvents[shownEvents.length - 1];
  return {
    bag: publicBag(bag),
    parent: parent ? publicBag(parent) : null,
    children:
      bag.type !== 'parent'
        ? NO_PAGE
        : {
            items: shownChildren.map((c) => ({ ...c.bag, linkedAt: c.linkedAt })),
            nextCursor: childRows.length > limit && lastChild ? encodeCursor([lastChild.key.linkedUs, Number(lastChild.key.id)]) : null,
          },
    bill: bill ? publicBill(bill) : null,
    history: {
      items: shownEvents,
      nextCursor: events.length > limit && lastEvent ? encodeCursor([Number(lastEvent.id)]) : null,
    },
  };
}
