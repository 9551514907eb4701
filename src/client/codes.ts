/**
 * Codes on the device, with the server's own pure rules (src/domain/codes.ts): what the station
 * shows, compares and de-duplicates is exactly what the server will store. The parent kinds
 * (patterns, capacities) come from the page, which reads them from the database; they only route
 * a scan (parent or child?) and give a capacity before the server answers. The server stays the
 * judge of every code.
 */
import { isDomainError } from '../domain/errors.js';
import { matchKind, normaliseCode, type BagKind } from '../domain/codes.js';

/** Used only if the page did not say (the defaults of SPEC §2). */
const DEFAULT_PARENT_KINDS: BagKind[] = [
  { id: 'SB', name: 'Mustard', type: 'parent', pattern: '^SB\\d{5}$', capacity: 30, expectedWeightKg: 30, active: true, position: 1 },
  { id: 'M444', name: 'Moong', type: 'parent', pattern: '^M444-\\d{5}$', capacity: 15, expectedWeightKg: 15, active: true, position: 2 },
];

/** A scanned code: null when nothing visible was scanned, `refused` when it can never be a code. */
export function readCode(raw: string): { code: string } | { refused: string } | null {
  if (!/[^\s\p{Cc}\p{Cf}]/u.test(raw)) return null; // a stray Enter or an invisible character
  try {
    return { code: normaliseCode(raw) };
  } catch (err) {
    if (isDomainError(err)) return { refused: err.message };
    throw err;
  }
}

/**
 * A station's first step with a scan: the normalised code, or undefined — when nothing visible
 * was scanned, or after `refuse` was given what to show and why it can never be a code.
 */
export function codeOrRefuse(raw: string, refuse: (shown: string, why: string) => void): string | undefined {
  const read = readCode(raw);
  if (!read) return undefined;
  if ('refused' in read) {
    refuse(raw.trim().slice(0, 16), read.refused);
    return undefined;
  }
  return read.code;
}

/** The parent kinds the page carries in data-kinds (JSON), else the defaults. */
export function parentKindsOf(root: HTMLElement): BagKind[] {
  try {
    const kinds = JSON.parse(root.dataset.kinds ?? '') as BagKind[];
    if (Array.isArray(kinds) && kinds.length > 0) return kinds.filter((k) => k.type === 'parent');
  } catch {
    // Missing or damaged: fall back.
  }
  return DEFAULT_PARENT_KINDS;
}

/** The parent kind a new code would get, if any. */
export function parentKindOf(code: string, kinds: readonly BagKind[]): BagKind | undefined {
  return matchKind(code, kinds, 'parent');
}
