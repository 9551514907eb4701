/**
 * One recorded attempt: the frame every scan, undo, completion, reopen and delete runs in.
 *
 * - One transaction. With a scanId, its first statement claims (user, scanId); if another
 *   request already holds it, the stored answer is returned (or re-thrown) and nothing changes.
 * - The rules run inside the transaction. A refusal (DomainError) does not roll back: the
 *   transaction still commits exactly one history row, plus the stored answer for the scanId,
 *   and only then is the error thrown. Rules must therefore refuse before their first write —
 *   every use case in this folder checks everything, then writes.
 * - Anything else thrown (a bug, a lost connection) rolls everything back, history included:
 *   the client retries with the same scanId and nothing was counted.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { DomainError, ERROR_CODES, isDomainError, type ErrorCode } from '../errors.js';
import { sourceOf } from '../users/users.service.js';
import { appendEvent } from '../../storage/events.repository.js';
import { claimScanRequest, findScanRequest, saveScanAnswer } from '../../storage/scan-requests.repository.js';
import type { Tx } from '../../storage/database.js';
import { liveEventOf, type LiveEvent } from '../live/live.js';

/** What the history row says about the attempt; the body fills it in as it learns facts. */
export interface AttemptNote {
  subject?: string | null;
  related?: string | null;
  areaId?: string | null;
  details?: Record<string, unknown>;
}

export interface Accepted<T> {
  value: T;
  /** The history outcome: 'created', 'linked', 'unlinked', 'completed'… */
  outcome: string;
}

export interface AttemptSpec<T> {
  /** History action, e.g. 'scan.child'. */
  action: string;
  /** Client-generated idempotency key (a UUID), scoped to the acting user. */
  scanId?: string | undefined;
  /** Revives a stored success answer from JSON (dates come back as strings). */
  revive?: (json: unknown) => T;
}

type StoredAnswer = { ok: unknown } | { error: { code: string; message: string; details?: Record<string, unknown> } };
type Outcome<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export async function runAttempt<T>(
  ctx: Ctx,
  actor: Actor,
  spec: AttemptSpec<T>,
  body: (tx: Tx, note: AttemptNote, now: Date) => Promise<Accepted<T>>,
): Promise<T> {
  const now = ctx.clock.now();
  let live: LiveEvent | undefined; // published once the history row is committed
  const result = await ctx.db.transaction().execute(async (tx): Promise<Outcome<T>> => {
    const note: AttemptNote = { areaId: actor.areaId };
    let outcome: Outcome<T>;
    let historyOutcome: string;
    const earlier = spec.scanId && !(await claimScanRequest(tx, actor.userId, spec.scanId, spec.action, now))
      ? await storedOutcome(tx, actor, spec)
      : undefined;
    if (earlier && earlier !== 'mismatch') return earlier; // a retry: same answer, nothing written
    if (earlier === 'mismatch') {
      // A scanId reused for another kind of request is a client bug: refuse it, on the record.
      outcome = { ok: false, error: new DomainError('validation_failed', 'This scanId was already used for another kind of request') };
      historyOutcome = 'validation_failed';
      note.details = { reason: 'scanId reused' };
    } else {
      try {
        const accepted = await body(tx, note, now);
        outcome = { ok: true, value: accepted.value };
        historyOutcome = accepted.outcome;
      } catch (err) {
        if (!isDomainError(err)) throw err;
        outcome = { ok: false, error: err };
        historyOutcome = err.code;
        if (err.details) note.details = { ...note.details, ...err.details };
      }
      if (spec.scanId) await saveScanAnswer(tx, actor.userId, spec.scanId, historyOutcome, toStored(outcome));
    }
    await appendEvent(tx, sourceOf(actor), {
      action: spec.action,
      outcome: historyOutcome,
      subject: note.subject ?? null,
      related: note.related ?? null,
      areaId: note.areaId ?? null,
      details: spec.scanId ? { ...note.details, scanId: spec.scanId } : (note.details ?? null),
    }, now);
    live = liveEventOf(actor, spec.action, historyOutcome, outcome.ok, note, now);
    return outcome;
  });
  if (live) ctx.live?.publish(live);
  if (!result.ok) throw result.error;
  return result.value;
}

/** What the earlier request with this scanId answered, or 'mismatch' if it was another action. */
async function storedOutcome<T>(tx: Tx, actor: Actor, spec: AttemptSpec<T>): Promise<Outcome<T> | 'mismatch'> {
  const stored = await findScanRequest(tx, actor.userId, spec.scanId!);
  if (!stored || stored.outcome === null) throw new Error(`scan request ${spec.scanId} has no stored answer`);
  if (stored.endpoint !== spec.action) return 'mismatch';
  const answer = stored.response as StoredAnswer;
  if ('error' in answer) {
    const known = (ERROR_CODES as readonly string[]).includes(answer.error.code);
    return { ok: false, error: new DomainError(known ? (answer.error.code as ErrorCode) : 'validation_failed', answer.error.message, answer.error.details) };
  }
  return { ok: true, value: spec.revive ? spec.revive(answer.ok) : (answer.ok as T) };
}

function toStored<T>(o: Outcome<T>): StoredAnswer {
  if (o.ok) return { ok: o.value };
  const { code, message, details } = o.error;
  return { error: details ? { code, message, details } : { code, message } };
}
