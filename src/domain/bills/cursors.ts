/**
 * The opaque cursor of a bill's parent list: the (link time, row id) of the last parent shown,
 * so the next page starts right after it however many parents the bill has (no OFFSET).
 */
import { DomainError } from '../errors.js';

export interface LinkPosition {
  linkedAt: Date;
  id: string;
}

export function encodeLinkCursor(p: LinkPosition): string {
  return Buffer.from(`${p.linkedAt.toISOString()}|${p.id}`, 'utf8').toString('base64url');
}

export function decodeLinkCursor(cursor: string): LinkPosition {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,18})$/.exec(text);
  const linkedAt = m ? new Date(m[1]!) : undefined;
  if (!m || !linkedAt || Number.isNaN(linkedAt.getTime())) throw new DomainError('validation_failed', 'Bad cursor');
  return { linkedAt, id: m[2]! };
}
