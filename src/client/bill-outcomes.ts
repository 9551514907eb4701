/**
 * The bill scan page's outcomes: the station's vocabulary (outcomes.ts: same colours, same
 * melodies where the meaning is the same) plus what only a bill says. Server answers (SPEC §4
 * outcomes and error codes) map onto it here and only here.
 */
import { OUTCOMES, type Outcome } from './outcomes.js';

export const BILL_OUTCOMES = {
  ready: { tone: 'idle', title: 'Scan a parent bag', notes: [] },
  linked: { ...OUTCOMES.linked, title: 'On the bill' },
  /** Joined (SPEC §4 allows it) but the parent is still pending: a warning, not a refusal. */
  unfinished: { tone: 'warn', title: 'On the bill — parent not finished', notes: [[1320, 90], [0, 60], [660, 160]] },
  bill_full: { tone: 'done', title: 'Bill is full', notes: OUTCOMES.completed.notes },
  already_on_bill: { ...OUTCOMES.already_linked, title: 'Already on this bill' },
  other_bill: { ...OUTCOMES.other_parent, title: 'On another bill' },
  capacity_reached: { ...OUTCOMES.full, title: 'Bill is full' },
  bill_completed: OUTCOMES.bill_completed,
  completed: { ...OUTCOMES.completed, title: 'Bill completed' },
  incomplete: { ...OUTCOMES.nothing_to_undo, title: 'Bill not complete' },
  bag_not_found: { ...OUTCOMES.parent_not_found, title: 'Unknown bag' },
  wrong_type: OUTCOMES.wrong_type,
  invalid_format: OUTCOMES.invalid_format,
  queued: OUTCOMES.queued,
  removed: { ...OUTCOMES.undone, title: 'Removed from the bill' },
  failed: OUTCOMES.failed,
} as const satisfies Record<string, Outcome>;

export type BillOutcomeKey = keyof typeof BILL_OUTCOMES;

const BY_ERROR: Record<string, BillOutcomeKey> = {
  invalid_format: 'invalid_format',
  validation_failed: 'invalid_format',
  wrong_bag_type: 'wrong_type',
  bag_not_found: 'bag_not_found',
  already_linked_other_bill: 'other_bill',
  capacity_reached: 'capacity_reached',
  bill_completed: 'bill_completed',
  bill_incomplete: 'incomplete',
};

export function billOutcomeOfError(code: string | undefined): BillOutcomeKey {
  return (code && BY_ERROR[code]) || 'failed';
}

/** Feedback that is good news (replayed offline successes are summed up, not replayed). */
export const isGood = (key: BillOutcomeKey) => ['linked', 'unfinished', 'bill_full', 'already_on_bill', 'queued', 'completed', 'removed'].includes(key);
