/**
 * Code normalisation and bag-kind matching (SPEC §2), pure. Keyboard-wedge scanners append
 * CR/LF/TAB, labels carry invisible Unicode and people type lower case: every scanned or typed
 * code goes through normaliseCode() before anything else looks at it.
 */
import { DomainError } from './errors.js';

export const MAX_CODE_LENGTH = 255;
/** Beyond this the raw input is refused before any regular expression runs over it. */
const MAX_RAW_LENGTH = 4096;

export type BagType = 'parent' | 'child';

/** A bag kind as configured in the bag_kinds table (admins edit them; nothing is hard-coded). */
export interface BagKind {
  id: string;
  name: string;
  type: BagType;
  /** A JavaScript regular expression, matched against the whole normalised code. */
  pattern: string;
  /** Children per parent; null for child kinds. */
  capacity: number | null;
  expectedWeightKg: number;
  active: boolean;
  position: number;
}

/** Unpaired UTF-16 halves: they cannot be stored as UTF-8 and no label prints one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Invisible "format" characters (zero-width space/joiners U+200B–U+200D, word joiner U+2060,
 * BOM U+FEFF, soft hyphen U+00AD, bidi marks) and control characters other than the
 * whitespace ones, which become spaces below instead of gluing two words together.
 */
const INVISIBLE = /\p{Cf}|(?![\t\n\v\f\r])\p{Cc}/gu;
/** Any whitespace run: space, tab, CR, LF, NBSP, the Unicode spaces, line/paragraph separators. */
const WHITESPACE = /\s+/gu;

/**
 * The canonical form of a code: invisible and control characters removed, whitespace runs
 * collapsed to one space, trimmed, upper-cased. Throws invalid_format when nothing is left or
 * the result is longer than 255 characters (the longest code the database stores).
 */
export function normaliseCode(input: string): string {
  if (input.length > MAX_RAW_LENGTH) throw tooLong();
  const code = input.replace(LONE_SURROGATE, '').replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim().toUpperCase();
  if (code === '') throw new DomainError('invalid_format', 'The code is empty');
  if (codePointLength(code) > MAX_CODE_LENGTH) throw tooLong();
  return code;
}

/** Like normaliseCode(), but answers undefined instead of throwing (for codes that only look up). */
export function tryNormaliseCode(input: string): string | undefined {
  try {
    return normaliseCode(input);
  } catch {
    return undefined;
  }
}

const tooLong = () => new DomainError('invalid_format', `A code has at most ${MAX_CODE_LENGTH} characters`);

/** PostgreSQL's length() counts code points, not UTF-16 units. */
function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const compiled = new Map<string, RegExp | null>();

/** Patterns come from the database: compile each once; a broken one matches nothing. */
function regexOf(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * The kind a new code of the given type would get: the first active kind of that type, by
 * position, whose pattern matches. Callers ask for parent kinds first, so a code that fits a
 * parent pattern (`SB00860` also fits the child pattern) is a parent code whatever the order.
 */
export function matchKind(code: string, kinds: readonly BagKind[], type: BagType): BagKind | undefined {
  return activeByPosition(kinds)[type].find((k) => regexOf(k.pattern)?.test(code) ?? false);
}

/**
 * The active kinds of each type in matching order, worked out once per list: the kinds cache
 * hands every scan the same array until it reads the table again, and a child scan matches
 * three times. Lists are never changed in place (a new read is a new array).
 */
const ordered = new WeakMap<readonly BagKind[], Record<BagType, readonly BagKind[]>>();

function activeByPosition(kinds: readonly BagKind[]): Record<BagType, readonly BagKind[]> {
  let byType = ordered.get(kinds);
  if (!byType) {
    const sorted = kinds.filter((k) => k.active).sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
    byType = { parent: sorted.filter((k) => k.type === 'parent'), child: sorted.filter((k) => k.type === 'child') };
    ordered.set(kinds, byType);
  }
  return byType;
}

/** What a new code would be: a parent code if it fits any parent kind, else a child code, else nothing. */
export function classifyCode(code: string, kinds: readonly BagKind[]): BagKind | undefined {
  return matchKind(code, kinds, 'parent') ?? matchKind(code, kinds, 'child');
}

/**
 * The literal text a pattern's matches all start with (`^SB\d{5}$` → `SB`, `^M444-\d{5}$` →
 * `M444-`): the characters after `^` up to the first regular-expression operator.
 */
export function literalPrefix(pattern: string): string {
  const m = /^\^((?:[A-Za-z0-9 _/.]|\\-|-)*)/.exec(pattern);
  if (!m) return '';
  let prefix = m[1]!.replace(/\\-/g, '-');
  // A quantifier right after the prefix applies to its last character, which is then optional.
  if (/^[?*{]/.test(pattern.slice(1 + m[1]!.length))) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * A misread parent label (SPEC §9): a code that fits no parent pattern but is a parent kind's
 * literal prefix followed only by digits (`SB0001`, `SB99`, `M444-001`), as a scanner gives
 * when it reads part of a parent code. Such a code must not become a new child bag.
 */
export function looksLikeTruncatedParent(code: string, kinds: readonly BagKind[]): boolean {
  if (matchKind(code, kinds, 'parent')) return false;
  return activeByPosition(kinds).parent.some((k) => {
    const prefix = literalPrefix(k.pattern);
    return prefix.length >= 2 && code.startsWith(prefix) && /^\d*$/.test(code.slice(prefix.length));
  });
}
