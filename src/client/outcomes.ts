/**
 * The stations' one vocabulary of outcomes — /scan, the bill station and the return station:
 * every outcome a person sees has its own colour (a `tone-*` class), its own big headline and
 * its own melody, so a worker can tell what happened by ear alone. Server answers (outcome
 * words and error codes of SPEC §4, §7 and §11) map onto it here and only here. Where a bill or
 * a return ticket means something else by the same word, it has its own key (`on_bill`,
 * `bill_done`…), with the same colour and melody as the station's outcome it mirrors.
 */
import type { Note } from './sounds.js';

export interface Outcome {
  /** CSS tone class suffix: the colour of the flash and of the row. */
  tone: 'idle' | 'ok' | 'dup' | 'parent' | 'done' | 'warn' | 'err' | 'type' | 'area' | 'queued' | 'undo';
  title: string;
  notes: readonly Note[];
}

const STATION = {
  ready: { tone: 'idle', title: 'Scan a parent bag', notes: [] },
  linked: { tone: 'ok', title: 'Linked', notes: [[1320, 90]] },
  already_linked: {
    tone: 'dup',
    title: 'Already in this parent',
    notes: [
      [880, 70],
      [0, 50],
      [880, 70],
    ],
  },
  created: {
    tone: 'parent',
    title: 'New parent',
    notes: [
      [660, 90],
      [990, 160],
    ],
  },
  resumed: {
    tone: 'parent',
    title: 'Parent resumed',
    notes: [
      [990, 90],
      [660, 90],
      [990, 160],
    ],
  },
  completed: {
    tone: 'done',
    title: 'Parent complete',
    notes: [
      [523, 90],
      [659, 90],
      [784, 90],
      [1047, 240],
    ],
  },
  queued: { tone: 'queued', title: 'Saved offline', notes: [[520, 60, 'triangle']] },
  undone: {
    tone: 'undo',
    title: 'Removed',
    notes: [
      [700, 90],
      [500, 160],
    ],
  },
  other_parent: {
    tone: 'err',
    title: 'In another parent',
    notes: [
      [440, 160, 'square'],
      [330, 280, 'square'],
    ],
  },
  wrong_type: {
    tone: 'type',
    title: 'Wrong bag type',
    notes: [
      [300, 120, 'sawtooth'],
      [0, 60],
      [300, 120, 'sawtooth'],
    ],
  },
  full: {
    tone: 'warn',
    title: 'Parent is full',
    notes: [
      [660, 120],
      [550, 120],
      [440, 220],
    ],
  },
  parent_completed: {
    tone: 'warn',
    title: 'Parent already complete',
    notes: [
      [660, 120],
      [440, 220],
    ],
  },
  invalid_format: { tone: 'err', title: 'Unknown code', notes: [[180, 420, 'square']] },
  wrong_area: {
    tone: 'area',
    title: 'Other area',
    notes: [
      [520, 100, 'square'],
      [0, 60],
      [260, 320, 'square'],
    ],
  },
  bill_completed: {
    tone: 'area',
    title: 'Bill is completed',
    notes: [
      [400, 180, 'square'],
      [0, 60],
      [400, 180, 'square'],
    ],
  },
  parent_not_found: {
    tone: 'err',
    title: 'Parent not found',
    notes: [
      [250, 200, 'square'],
      [180, 260, 'square'],
    ],
  },
  bag_not_found: {
    tone: 'err',
    title: 'Unknown bag',
    notes: [
      [250, 200, 'square'],
      [180, 260, 'square'],
    ],
  },
  nothing_to_undo: { tone: 'warn', title: 'Nothing to undo', notes: [[440, 160]] },
  failed: { tone: 'err', title: 'Not accepted', notes: [[220, 320, 'sawtooth']] },
} as const satisfies Record<string, Outcome>;

/** The bill station (SPEC §4). */
const BILL = {
  on_bill: { ...STATION.linked, title: 'On the bill' },
  /** Joined (SPEC §4 allows it) but the parent is still pending: a warning, not a refusal. */
  on_bill_unfinished: {
    tone: 'warn',
    title: 'On the bill — parent not finished',
    notes: [
      [1320, 90],
      [0, 60],
      [660, 160],
    ],
  },
  bill_full: { tone: 'done', title: 'Bill is full', notes: STATION.completed.notes },
  already_on_bill: { ...STATION.already_linked, title: 'Already on this bill' },
  other_bill: { ...STATION.other_parent, title: 'On another bill' },
  capacity_reached: { ...STATION.full, title: 'Bill is full' },
  bill_done: { ...STATION.completed, title: 'Bill completed' },
  bill_incomplete: { ...STATION.nothing_to_undo, title: 'Bill not complete' },
  removed_from_bill: { ...STATION.undone, title: 'Removed from the bill' },
} as const satisfies Record<string, Outcome>;

/** The return station (SPEC §11). */
const RETURN = {
  returned: { ...STATION.linked, title: 'Returned' },
  already_returned: { ...STATION.already_linked, title: 'Already on this ticket' },
  on_other_ticket: { ...STATION.other_parent, title: 'On another ticket' },
  not_on_bill: { ...STATION.parent_completed, title: 'Not on a bill' },
  ticket_closed: { ...STATION.bill_completed, title: 'Ticket is closed' },
} as const satisfies Record<string, Outcome>;

export const OUTCOMES = { ...STATION, ...BILL, ...RETURN } as const;

export type OutcomeKey = keyof typeof OUTCOMES;

/** Good news: an offline scan with this outcome is summed up ("10 sent"), not listed as refused. */
const GOOD: ReadonlySet<OutcomeKey> = new Set<OutcomeKey>([
  'linked',
  'already_linked',
  'created',
  'resumed',
  'completed',
  'queued',
  'on_bill',
  'on_bill_unfinished',
  'bill_full',
  'already_on_bill',
  'bill_done',
  'removed_from_bill',
  'returned',
  'already_returned',
]);
export const isGood = (key: OutcomeKey): boolean => GOOD.has(key);

/** Every error code a station can get (SPEC §7 and the bill and return APIs), to its outcome. */
const BY_ERROR: Record<string, OutcomeKey> = {
  invalid_format: 'invalid_format',
  validation_failed: 'invalid_format',
  wrong_bag_type: 'wrong_type',
  already_linked_other_parent: 'other_parent',
  parent_full: 'full',
  parent_completed: 'parent_completed',
  bill_completed: 'bill_completed',
  wrong_area: 'wrong_area',
  parent_not_found: 'parent_not_found',
  bag_not_found: 'bag_not_found',
  nothing_to_undo: 'nothing_to_undo',
  already_linked_other_bill: 'other_bill',
  capacity_reached: 'capacity_reached',
  bill_incomplete: 'bill_incomplete',
  not_on_bill: 'not_on_bill',
  on_other_ticket: 'on_other_ticket',
  ticket_closed: 'ticket_closed',
  ticket_not_found: 'ticket_closed',
};

export function outcomeOfError(code: string | undefined): OutcomeKey {
  return (code && BY_ERROR[code]) || 'failed';
}

/** The other parent an `already_linked_other_parent` answer names (its field name may vary). */
export function otherParentOf(error: Record<string, unknown> | undefined): string | undefined {
  if (!error) return undefined;
  for (const key of ['parentCode', 'parent', 'otherParent', 'otherParentCode']) {
    const v = error[key];
    if (typeof v === 'string' && v) return v;
    if (v && typeof v === 'object' && typeof (v as { code?: unknown }).code === 'string') return (v as { code: string }).code;
  }
  return undefined;
}
