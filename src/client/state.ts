/**
 * What the station remembers between reloads (sessionStorage, per user): the parent in hand,
 * the parent finished last (so "Undo last" still works right after completion) and the recent
 * scans. The server, not this, is the truth about counts; this only survives a reload until the
 * next answer arrives.
 */
import type { OutcomeKey } from './outcomes.js';

export interface ParentState {
  code: string;
  /** Children it takes; null until the server says (a code with no known pattern). */
  capacity: number | null;
  /** Children the server has confirmed; null until the parent scan is answered. */
  count: number | null;
  status: string;
  /** scanIds of this parent's children made but not answered yet. */
  waiting: string[];
  /** Codes scanned into it on this station, to spot a repeat before sending it. */
  codes: string[];
  /** Put down by the station because its count reached capacity, before the server agreed. */
  countedFull?: boolean;
}

/** pending: sent, no answer yet · queued: waiting on the device · skipped: dropped with its refused parent · unknown: sent before a reload, answer not seen. */
export type RowState = 'pending' | 'queued' | 'skipped' | 'unknown' | OutcomeKey;

export interface Row {
  id: string;
  code: string;
  kind: 'parent' | 'child';
  parentCode?: string | undefined;
  state: RowState;
  text: string;
  /** Made while offline: the worker already heard "saved"; its answer is summed up later. */
  offline?: boolean;
}

export interface Saved {
  parent: ParentState | null;
  last: ParentState | null;
  rows: Row[];
}

export const MAX_ROWS = 40;
const key = (userId: string) => `tt-station:${userId}`;

export function newParent(code: string, capacity: number | null): ParentState {
  return { code, capacity, count: null, status: 'pending', waiting: [], codes: [] };
}

/**
 * The parent a child scan goes to: the one in hand, else the last one while it is full or
 * finished (the server refuses the child against it: parent_full / parent_completed, SPEC §9).
 */
export function heldParent(s: Saved): ParentState | null {
  return s.parent ?? (s.last && (s.last.countedFull || s.last.status === 'completed') ? s.last : null);
}

export function countText(p: { capacity: number | null }, n: number): string {
  return `${n}/${p.capacity ?? '?'}`;
}

/** What the counter shows: confirmed children plus those sent or queued but not answered. */
export function shownCount(p: ParentState): number {
  return (p.count ?? 0) + p.waiting.length;
}

export function loadState(userId: string): Saved {
  try {
    const raw = sessionStorage.getItem(key(userId));
    if (raw) {
      const saved = JSON.parse(raw) as Saved;
      if (saved && Array.isArray(saved.rows)) return saved;
    }
  } catch {
    // Storage disabled or a damaged value: start clean.
  }
  return { parent: null, last: null, rows: [] };
}

export function saveState(userId: string, state: Saved): void {
  try {
    sessionStorage.setItem(key(userId), JSON.stringify({ parent: state.parent, last: state.last, rows: state.rows.slice(0, MAX_ROWS) }));
  } catch {
    // Quota or private mode: the outbox (IndexedDB) still holds every unsent scan.
  }
}
