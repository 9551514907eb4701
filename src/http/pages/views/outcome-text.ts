/**
 * What a history row's outcome says to a person, in one table: a refusal reads as a refusal
 * with its reason ("Refused: bill SB-3 is full (3/3)"), never as the action it refused
 * ("Added to bill — capacity_reached"); an accepted row says what happened. The facts come from
 * the row's details (the error's details are merged into them when an attempt is refused).
 */
import type { HistoryEvent } from '../../../domain/audit/event.js';
import { ERROR_CODES, type ErrorCode } from '../../../domain/errors.js';

type Details = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const fill = (d: Details, n: string) =>
  str(d[n]) !== undefined && str(d.capacity) !== undefined ? ` (${str(d[n])}/${str(d.capacity)})` : '';

const REFUSED: Partial<Record<ErrorCode, (d: Details) => string>> = {
  invalid_format: () => 'not a code this system knows',
  validation_failed: () => 'the input was not valid',
  parent_not_found: () => 'no such parent bag',
  bag_not_found: () => 'no such bag',
  bill_not_found: () => 'no such bill',
  not_found: () => 'not found',
  wrong_area: () => 'the bag belongs to another area',
  forbidden: () => 'this role may not do that',
  wrong_bag_type: () => 'wrong bag type (a parent where a child belongs, or the other way round)',
  already_linked_other_parent: (d) => `already in parent ${str(d.parentCode) ?? 'another parent'}`,
  already_linked_other_bill: (d) => `already on bill ${str(d.billId) ?? 'another bill'}`,
  parent_full: (d) => `the parent is full${fill(d, 'childCount')}`,
  parent_completed: (d) => `the parent is completed${fill(d, 'childCount')}`,
  bill_completed: (d) => `bill ${str(d.billId) ?? ''} is completed (locked until reopened)`.replace('  ', ' '),
  capacity_reached: (d) => `the bill is full${fill(d, 'parentCount')}`,
  bill_incomplete: (d) =>
    str(d.missing) ? `the bill is ${str(d.missing)} parent${d.missing === 1 ? '' : 's'} short` : 'the bill is not complete',
  nothing_to_undo: () => 'nothing to undo',
  bag_in_use: () => 'the bag is in use (children, a parent or a bill)',
  duplicate_bill: () => 'a bill with that id exists',
  bill_busy: () => 'its parents changed meanwhile: try again',
};

const ACCEPTED: Record<string, (e: HistoryEvent, d: Details) => string> = {
  created: () => 'Created',
  resumed: () => 'Resumed',
  linked: (e, d) => (e.action === 'bill.link' && d.warning === 'parent_unfinished' ? 'Added — the parent was not finished' : 'Linked'),
  already_linked: () => 'Already in this parent',
  already_on_bill: () => 'Already on this bill',
  unlinked: () => 'Unlinked',
  moved: (_e, d) => `Moved from ${str(d.from) ?? '?'} to ${str(d.to) ?? '?'}`,
  completed: (_e, d) => (d.short === true ? 'Completed short' : 'Completed'),
  already_completed: () => 'Already completed',
  reopened: () => 'Reopened',
  already_pending: () => 'Already open',
  deleted: () => 'Deleted',
  ok: () => 'Done',
};

const REFUSALS: ReadonlySet<string> = new Set(ERROR_CODES);
export const isRefusal = (outcome: string) => REFUSALS.has(outcome);

const sentence = (code: string) => code.replace(/_/g, ' ');

/** "Refused: the bill is full (3/3)", "Moved from SB00001 to SB00002", "Linked". */
export function outcomeText(e: HistoryEvent): string {
  const d = e.details ?? {};
  if (isRefusal(e.outcome)) {
    const why = REFUSED[e.outcome as ErrorCode];
    return `Refused: ${why ? why(d) : sentence(e.outcome)}`;
  }
  const said = ACCEPTED[e.outcome];
  return said ? said(e, d) : sentence(e.outcome);
}

/** The supervisor's reason of a correction, when the row has one. */
export const reasonOf = (e: HistoryEvent): string | undefined => (typeof e.details?.reason === 'string' ? e.details.reason : undefined);
