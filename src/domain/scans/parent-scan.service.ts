/**
 * The parent scan (SPEC §3): one recorded attempt (attempt.ts) — the rules of scan-rules.ts,
 * exactly one history row whether accepted or refused, and an idempotent answer when the client
 * sends a scanId. The child scan: child-scan.service.ts; undo and named unlink: undo.service.ts.
 *
 * It runs unlocked first (docs/decisions/0026): one read without locks, the rules, then one
 * statement that creates the parent only if its code is still free — else it reads and decides
 * again. The locked attempt is the fallback and the body imports reuse (applyParentScan): one
 * transaction, the parent created by INSERT … ON CONFLICT DO NOTHING; a write that loses a race
 * changes nothing, and the rules then run again on what is there now (resumed).
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError } from '../errors.js';
import { publicBag, reviveBag, type Bag } from '../bags/bag.js';
import { matchKind } from '../codes.js';
import { runAttempt, runUnlockedAttempt, scannedCode, type Accepted, type AttemptNote, type UnlockedAccepted } from '../attempt.js';
import { decideParentScan } from './scan-rules.js';
import { MAX_RACE_RETRIES, txStore, type ScanStore } from './scan-store.js';
import type { Executor } from '../../storage/database.js';
import { createParentIfAbsent, readParentAndChild } from '../../storage/scans.repository.js';
import { findArea, firstArea } from '../../storage/areas.repository.js';

export interface ScanParentInput {
  code: string;
  scanId?: string | undefined;
  /** Billers/admins: the area of a new parent (default: the first active area). */
  area?: string | undefined;
}
export interface ParentScanResult {
  outcome: 'created' | 'resumed';
  bag: Bag;
}

const reviveParentScan = (j: unknown): ParentScanResult => {
  const r = j as ParentScanResult;
  return { outcome: r.outcome, bag: reviveBag(r.bag) };
};
/** What the unlocked and the locked attempt record, and how a stored answer is revived. */
const parentScanSpec = (input: ScanParentInput) => ({ action: 'scan.parent', scanId: input.scanId, revive: reviveParentScan });

/**
 * A parent scan: unlocked first (one read, then one write that creates the parent only if its
 * code is still free: docs/decisions/0026), else the locked attempt. Both run decideParentScan.
 */
export async function scanParent(ctx: Ctx, actor: Actor, input: ScanParentInput): Promise<ParentScanResult> {
  return (
    (await runUnlockedAttempt(ctx, actor, parentScanSpec(input), (note, now) => decideParentScanUnlocked(ctx, actor, input, note, now))) ??
    (await scanParentLocked(ctx, actor, input))
  );
}

/** The parent scan in one transaction: always applicable. */
export function scanParentLocked(ctx: Ctx, actor: Actor, input: ScanParentInput): Promise<ParentScanResult> {
  return runAttempt(ctx, actor, parentScanSpec(input), (tx, note, now) => applyParentScan(ctx, txStore(tx), actor, input, note, now));
}

/** The parent scan's rules on an unlocked read; a new parent's answer is known before the write. */
async function decideParentScanUnlocked(
  ctx: Ctx,
  actor: Actor,
  input: ScanParentInput,
  note: AttemptNote,
  now: Date,
): Promise<UnlockedAccepted<ParentScanResult>> {
  const code = scannedCode(input.code, note);
  const kind = matchKind(code, await ctx.kinds.list(ctx.db), 'parent');
  const { parent: existing } = await readParentAndChild(ctx.db, code, null);
  const d = decideParentScan(actor, { code, kind, existing });
  if (d.action === 'resume') {
    note.areaId = d.bag.area;
    return { outcome: 'resumed', value: { outcome: 'resumed', bag: publicBag(d.bag) } };
  }
  const areaId = await areaForNewParent(areasOn(ctx.db), actor, input.area);
  note.areaId = areaId;
  const capacity = d.kind.capacity;
  const bag: Bag = {
    code,
    type: 'parent',
    kind: d.kind.id,
    area: areaId,
    status: 'pending',
    childCount: 0,
    capacity,
    parentCode: null,
    billId: null,
    createdAt: now,
  };
  return {
    outcome: 'created',
    value: { outcome: 'created', bag },
    write: (record) => createParentIfAbsent(ctx.db, { code, kindId: d.kind.id, areaId, capacity }, record),
  };
}

/**
 * The parent scan's rules and writes inside a caller's transaction: the scan use case above runs
 * it as one attempt on the database (txStore), an import runs it for each parent row of a file on
 * the chunk store (imports/chunk-store.ts).
 */
export async function applyParentScan(
  ctx: Ctx,
  store: ScanStore,
  actor: Actor,
  input: Omit<ScanParentInput, 'scanId'>,
  note: AttemptNote,
  now: Date,
): Promise<Accepted<ParentScanResult>> {
  const code = scannedCode(input.code, note);
  const kind = matchKind(code, await ctx.kinds.list(store.tx), 'parent');
  let existing = await store.findBag(code);
  for (let i = 0; i < MAX_RACE_RETRIES; i++) {
    const d = decideParentScan(actor, { code, kind, existing });
    if (d.action === 'resume') {
      note.areaId = d.bag.area;
      return { outcome: 'resumed', value: { outcome: 'resumed', bag: publicBag(d.bag) } };
    }
    const areaId = await areaForNewParent(store, actor, input.area);
    note.areaId = areaId;
    const created = await store.insertBag(
      {
        code,
        type: 'parent',
        kindId: d.kind.id,
        areaId,
        status: 'pending',
        capacity: d.kind.capacity,
        createdBy: actor.userId,
      },
      now,
    );
    if (created) return { outcome: 'created', value: { outcome: 'created', bag: publicBag(created) } };
    existing = await store.findBag(code); // another station created it a moment ago
  }
  throw new Error(`parent scan of ${code} kept losing races`);
}

const areasOn = (db: Executor): Pick<ScanStore, 'findArea' | 'firstArea'> => ({
  findArea: (id) => findArea(db, id),
  firstArea: () => firstArea(db),
});

/** Dispatchers create in their own area; billers/admins in the one they chose, or the first. */
async function areaForNewParent(
  store: Pick<ScanStore, 'findArea' | 'firstArea'>,
  actor: Actor,
  requested: string | undefined,
): Promise<string> {
  if (actor.role === 'dispatcher') {
    if (requested !== undefined && requested !== actor.areaId) {
      throw new DomainError('wrong_area', 'Dispatchers create parents in their own area only', { area: requested });
    }
    return actor.areaId!;
  }
  const area = requested !== undefined ? await store.findArea(requested) : await store.firstArea();
  if (!area?.active) throw new DomainError('validation_failed', requested ? `Unknown or inactive area "${requested}"` : 'No active area');
  return area.id;
}
