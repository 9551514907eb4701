/**
 * The station's fixed vocabulary of outcomes: each one has its own colour (a `tone-*` class),
 * its own big headline and its own melody, so a worker can tell what happened by ear alone.
 * Server answers (outcome words and error codes of SPEC §7) map onto it here and only here.
 */
import type { Note } from './sounds.js';

export interface Outcome {
  /** CSS tone class suffix: the colour of the flash and of the row. */
  tone: 'idle' | 'ok' | 'dup' | 'parent' | 'done' | 'warn' | 'err' | 'type' | 'area' | 'queued' | 'undo';
  title: string;
  notes: readonly Note[];
}

export const OUTCOMES = {
  ready: { tone: 'idle', title: 'Scan a parent bag', notes: [] },
  linked: { tone: 'ok', title: 'Linked', notes: [[1320, 90]] },
  already_linked: { tone: 'dup', title: 'Already in this parent', notes: [[880, 70], [0, 50], [880, 70]] },
  created: { tone: 'parent', title: 'New parent', notes: [[660, 90], [990, 160]] },
  resumed: { tone: 'parent', title: 'Parent resumed', notes: [[990, 90], [660, 90], [990, 160]] },
  completed: { tone: 'done', title: 'Parent complete', notes: [[523, 90], [659, 90], [784, 90], [1047, 240]] },
  queued: { tone: 'queued', title: 'Saved offline', notes: [[520, 60, 'triangle']] },
  undone: { tone: 'undo', title: 'Removed', notes: [[700, 90], [500, 160]] },
  other_parent: { tone: 'err', title: 'In another parent', notes: [[440, 160, 'square'], [330, 280, 'square']] },
  wrong_type: { tone: 'type', title: 'Wrong bag type', notes: [[300, 120, 'sawtooth'], [0, 60], [300, 120, 'sawtooth']] },
  full: { tone: 'warn', title: 'Parent is full', notes: [[660, 120], [550, 120], [440, 220]] },
  parent_completed: { tone: 'warn', title: 'Parent already complete', notes: [[660, 120], [440, 220]] },
  invalid_format: { tone: 'err', title: 'Unknown code', notes: [[180, 420, 'square']] },
  wrong_area: { tone: 'area', title: 'Other area', notes: [[520, 100, 'square'], [0, 60], [260, 320, 'square']] },
  bill_completed: { tone: 'area', title: 'Bill is completed', notes: [[400, 180, 'square'], [0, 60], [400, 180, 'square']] },
  parent_not_found: { tone: 'err', title: 'Parent not found', notes: [[250, 200, 'square'], [180, 260, 'square']] },
  nothing_to_undo: { tone: 'warn', title: 'Nothing to undo', notes: [[440, 160]] },
  failed: { tone: 'err', title: 'Not accepted', notes: [[220, 320, 'sawtooth']] },
} as const satisfies Record<string, Outcome>;

export type OutcomeKey = keyof typeof OUTCOMES;

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
  nothing_to_undo: 'nothing_to_undo',
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
