/**
 * Bag kinds as admins edit them (SPEC §2: "admins can change them without a code change"):
 * name, pattern, children per parent, weight, active. A pattern must be anchored (^…$) and
 * valid both as a JavaScript regular expression (the scan rules) and as a PostgreSQL one (for
 * reports that match in SQL). The next scan uses the new rule; existing bags keep theirs.
 */
import type { Actor } from '../actor.js';
import type { BagKind } from '../codes.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { appendEvent } from '../../storage/events.repository.js';
import { listBagKinds } from '../../storage/bag-kinds.repository.js';
import { isPostgresRegex, lockBagKind, updateBagKind, type BagKindChanges } from '../../storage/bag-kinds.admin.repository.js';
import { sourceOf } from '../audit/event.js';

export const KIND_LIMITS = { capacity: [1, 1000], weightKg: [1, 1000], patternLength: 200, nameLength: 64 } as const;

export function listKinds(ctx: Ctx): Promise<BagKind[]> {
  return listBagKinds(ctx.db);
}

const invalid = (message: string) => new DomainError('validation_failed', message);

/** Checks a pattern's shape and that JavaScript compiles it (PostgreSQL is asked separately). */
export function checkPatternShape(pattern: string): void {
  if (pattern.length < 3 || pattern.length > KIND_LIMITS.patternLength)
    throw invalid(`A pattern has 3–${KIND_LIMITS.patternLength} characters`);
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) {
    throw invalid('A pattern must be anchored: start with ^ and end with $ (it must match the whole code)');
  }
  try {
    new RegExp(pattern);
  } catch (err) {
    throw invalid(`The pattern is not a valid regular expression: ${(err as Error).message}`);
  }
}

const inRange = (n: number, [lo, hi]: readonly [number, number]) => Number.isInteger(n) && n >= lo && n <= hi;

export async function updateKind(ctx: Ctx, actor: Actor, id: string, input: BagKindChanges): Promise<BagKind> {
  const changes: BagKindChanges = { ...input };
  if (changes.name !== undefined) {
    changes.name = changes.name.replace(/\s+/g, ' ').trim();
    if (changes.name.length < 1 || changes.name.length > KIND_LIMITS.nameLength)
      throw invalid(`A name has 1–${KIND_LIMITS.nameLength} characters`);
  }
  if (changes.pattern !== undefined) {
    changes.pattern = changes.pattern.trim();
    checkPatternShape(changes.pattern);
    if (!(await isPostgresRegex(ctx.db, changes.pattern)))
      throw invalid('PostgreSQL does not accept this pattern: keep to ^, $, [ ], \\d, { }, ( ), | and literal characters');
  }
  if (changes.capacity !== undefined && !inRange(changes.capacity, KIND_LIMITS.capacity))
    throw invalid('Children per parent must be 1–1000');
  if (changes.expectedWeightKg !== undefined && !inRange(changes.expectedWeightKg, KIND_LIMITS.weightKg))
    throw invalid('The weight must be 1–1000 kg');
  const now = ctx.clock.now();
  const after = await ctx.db.transaction().execute(async (tx) => {
    const before = await lockBagKind(tx, id);
    if (!before) throw new DomainError('not_found', 'No such bag kind');
    if (before.type === 'child' && changes.capacity !== undefined) throw invalid('Child kinds have no capacity');
    const changed = await updateBagKind(tx, id, changes);
    const shown = (k: BagKind) => ({
      name: k.name,
      pattern: k.pattern,
      capacity: k.capacity,
      expectedWeightKg: k.expectedWeightKg,
      active: k.active,
    });
    await appendEvent(
      tx,
      sourceOf(actor),
      {
        action: 'bag_kind.update',
        outcome: 'ok',
        subject: `kind:${id}`,
        details: { before: shown(before), after: shown(changed) },
      },
      now,
    );
    return changed;
  });
  ctx.kinds.forget(); // this process's next scan uses the edit; other processes within KINDS_FRESH_MS
  return after;
}
