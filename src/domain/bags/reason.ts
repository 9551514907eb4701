/**
 * The reason a supervisor gives for a correction (unlink, move, reopen, delete: SPEC §9). It is
 * kept in the history row's details and shown on the timeline. The pages require one; the API
 * keeps it optional on the older paths (stations undo without one) and requires it on move.
 */
import { DomainError } from '../errors.js';

export const MAX_REASON = 200;

/** Trimmed, whitespace runs as one space; null when absent or blank (refused when required). */
export function cleanReason(raw: string | undefined, required: boolean): string | null {
  const text =
    raw === undefined
      ? ''
      : raw
          .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
          .replace(/\s+/gu, ' ')
          .trim();
  if ([...text].length > MAX_REASON) throw new DomainError('validation_failed', `A reason has at most ${MAX_REASON} characters`);
  if (text === '') {
    if (required) throw new DomainError('validation_failed', 'Give a reason: it is kept in the history');
    return null;
  }
  return text;
}

/** The history details of a reason: nothing when there is none. */
export const reasonDetails = (reason: string | null): { reason?: string } => (reason === null ? {} : { reason });
