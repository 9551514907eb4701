/**
 * The child scan (SPEC §3): one recorded attempt (attempt.ts) — the rules of scan-rules.ts,
 * exactly one history row whether accepted or refused, and an idempotent answer when the client
 * sends a scanId. The parent scan: parent-scan.service.ts; undo and named unlink: undo.service.ts.
 *
 * It runs unlocked first (docs/decisions/0026): one read without locks, the rules, then one
 * statement that writes only if the parent and child are unchanged — else it reads and decides
 * again. The locked attempt is the fallback (a parent on a bill, rows that keep changing) and the
 * body imports reuse (applyChildScan): one transaction, the parent row locked (FOR UPDATE) before
 * its capacity is checked, a child linked by a conditional UPDATE (… where parent_id is null) or
 * created already linked by INSERT … ON CONFLICT DO NOTHING, the count moved in the same
 * transaction. A write that loses a race changes nothing; the rules then run again on what is
 * there now (usually giving already_linked or already_linked_other_parent).
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { areaOfLinkedChild, parentStatusAt, publicBag, reviveBag, type Bag } from '../bags/bag.js';
import { classifyCode, looksLikeTruncatedParent, tryNormaliseCode } from '../codes.js';
import { runAttempt, runUnlockedAttempt, scannedCode, type Accepted, type AttemptNote, type UnlockedAccepted } from '../attempt.js';
import { DomainError } from '../errors.js';
import { decideChildScan, type ChildDecision, type ChildScanFacts } from './scan-rules.js';
import { MAX_RACE_RETRIES, txStore, type ScanStore } from './scan-store.js';
import type { Executor } from '../../storage/database.js';
import { linkChildIfUnchanged, readParentAndChild, rememberedParent, type ReadBag } from '../../storage/scans.repository.js';

export interface ScanChildInput {
  parentCode: string;
  code: string;
  scanId?: string | undefined;
}
export interface ChildScanResult {
  outcome: 'linked' | 'already_linked';
  child: Bag;
  parent: Bag;
}

const reviveChildScan = (j: unknown): ChildScanResult => {
  const r = j as ChildScanResult;
  return { outcome: r.outcome, child: reviveBag(r.child), parent: reviveBag(r.parent) };
};
/** What the unlocked and the locked attempt record, and how a stored answer is revived. */
const childScanSpec = (input: ScanChildInput) => ({ action: 'scan.child', scanId: input.scanId, revive: reviveChildScan });

/**
 * A child scan: unlocked first (one read, then one write that applies only if the parent and
 * child are still as read: docs/decisions/0026), else — a parent on a bill, or rows that kept
 * changing under it — the locked attempt. Both run the same rules (decideChildScan).
 */
export async function scanChild(ctx: Ctx, actor: Actor, input: ScanChildInput): Promise<ChildScanResult> {
  return (
    (await runUnlockedAttempt(ctx, actor, childScanSpec(input), (note, now) => decideChildScanUnlocked(ctx, actor, input, note, now))) ??
    (await scanChildLocked(ctx, actor, input))
  );
}

/** The child scan in one transaction with the parent locked (and its bill): always applicable. */
export function scanChildLocked(ctx: Ctx, actor: Actor, input: ScanChildInput): Promise<ChildScanResult> {
  return runAttempt(ctx, actor, childScanSpec(input), (tx, note, now) => applyChildScan(ctx, txStore(tx), actor, input, note, now));
}

/** The codes of a child scan as its rules need them. */
async function childScanCodes(ctx: Ctx, ex: Executor, input: Omit<ScanChildInput, 'scanId'>, note: AttemptNote) {
  // A parent code that cannot be normalised names no bag: parent_not_found, after rule 1.
  const parentCode = tryNormaliseCode(input.parentCode) ?? null;
  note.related = parentCode; // a refused child code is on the parent's history too
  const code = scannedCode(input.code, note);
  const kinds = await ctx.kinds.list(ex);
  return { code, parentCode, kind: classifyCode(code, kinds), truncatedParent: looksLikeTruncatedParent(code, kinds) };
}

/**
 * The child scan's rules on an unlocked snapshot of the parent and child. The answer is known
 * before the write: if the rows are unchanged, the parent gains exactly one child.
 * Undefined for a parent on a bill (its bill is locked and counted too: the locked attempt).
 *
 * The snapshot skips its read when this process remembers the parent from its last link into it
 * and the rules, on that parent and a new child, link (docs/decisions/0032): the write checks
 * both, so a changed parent or a known code answers 'changed' and the next run reads. Any other
 * decision — a refusal, already linked — is never made on a remembered parent: it reads first.
 */
async function decideChildScanUnlocked(
  ctx: Ctx,
  actor: Actor,
  input: ScanChildInput,
  note: AttemptNote,
  now: Date,
): Promise<UnlockedAccepted<ChildScanResult> | undefined> {
  const codes = await childScanCodes(ctx, ctx.db, input, note);
  const remembered = rememberedParent(ctx.db, codes.parentCode);
  const guess = remembered && linkOnRemembered(actor, codes, remembered);
  const { parent, child } = guess
    ? { parent: remembered, child: undefined }
    : await readParentAndChild(ctx.db, codes.parentCode, codes.code);
  if (parent?.billId != null) return undefined;
  if (parent) note.areaId = parent.area;
  const d = guess ?? decideChildScan(actor, { ...codes, child, parent });
  if (d.action === 'already_linked') {
    return { outcome: 'already_linked', value: { outcome: 'already_linked', child: publicBag(d.child), parent: publicBag(d.parent) } };
  }
  const p = parent!;
  const childCount = p.childCount + 1;
  const after: Bag = { ...publicBag(p), childCount, status: parentStatusAt(childCount, p.capacity!) };
  const linked: Bag = {
    ...(child
      ? publicBag(child)
      : { code: codes.code, type: 'child', kind: d.kind!.id, capacity: null, childCount: 0, billId: null, createdAt: now }),
    area: areaOfLinkedChild(p),
    status: 'linked',
    parentCode: p.code,
  };
  note.details = { childCount, capacity: p.capacity, ...(after.status === 'completed' ? { completedParent: true } : {}) };
  return {
    outcome: 'linked',
    value: { outcome: 'linked', child: linked, parent: after },
    write: (record) =>
      linkChildIfUnchanged(
        ctx.db,
        { parent: p, child: child ? { existing: child } : { code: codes.code, kindId: d.kind!.id }, parentAfter: { ...p, ...after } },
        record,
      ),
  };
}

/** The rules' link of a new child into the remembered parent; undefined for anything else (a refusal throws): read first. */
function linkOnRemembered(actor: Actor, codes: Omit<ChildScanFacts, 'child' | 'parent'>, parent: ReadBag): ChildDecision | undefined {
  try {
    const d = decideChildScan(actor, { ...codes, child: undefined, parent });
    return d.action === 'link' ? d : undefined;
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

/** The child scan's rules and writes inside a caller's transaction (the scan use case, an import row). */
export async function applyChildScan(
  ctx: Ctx,
  store: ScanStore,
  actor: Actor,
  input: Omit<ScanChildInput, 'scanId'>,
  note: AttemptNote,
  now: Date,
): Promise<Accepted<ChildScanResult>> {
  const { code, parentCode, kind, truncatedParent } = await childScanCodes(ctx, store.tx, input, note);
  // The parent locked and the child read in one round trip; the child may be a moment old.
  const read = parentCode === null ? { child: await store.findBag(code) } : await store.lockParentFindChild(parentCode, code);
  const parent = read.parent;
  if (parent) note.areaId = parent.area;
  let child = read.child;
  let childReadUnderLock = parentCode === null;
  for (let i = 0; i < MAX_RACE_RETRIES; i++) {
    const d = decideChildScan(actor, { code, parentCode, kind, truncatedParent, child, parent });
    if (d.action === 'already_linked') {
      if (!childReadUnderLock) {
        // Writes nothing, so nothing else would catch an undo committed while we waited for the lock.
        child = await store.findBag(code);
        childReadUnderLock = true;
        continue;
      }
      return { outcome: 'already_linked', value: { outcome: 'already_linked', child: publicBag(d.child), parent: publicBag(d.parent) } };
    }
    const p = d.parent;
    const done = await store.linkIntoParent(
      d.child
        ? { existingId: d.child.id }
        : {
            create: {
              code,
              type: 'child',
              kindId: d.kind!.id,
              areaId: areaOfLinkedChild(p),
              status: 'linked',
              capacity: null,
              createdBy: actor.userId,
              parent: { id: p.id, code: p.code, linkedBy: actor.userId },
            },
          },
      p,
      actor.userId,
      now,
    );
    if (done) {
      const after = done.parent;
      await store.billChildrenChanged(after, 1, now); // a billed parent's bill counts its children too
      note.details = {
        childCount: after.childCount,
        capacity: after.capacity,
        ...(after.status === 'completed' ? { completedParent: true } : {}),
      };
      return { outcome: 'linked', value: { outcome: 'linked', child: publicBag(done.child), parent: publicBag(after) } };
    }
    child = await store.findBag(code); // linked or created by another station meanwhile
    childReadUnderLock = true;
  }
  throw new Error(`child scan of ${code} kept losing races`);
}
