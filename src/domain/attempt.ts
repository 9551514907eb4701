/**
 * One recorded attempt: the frame every scan, undo, completion, reopen and delete runs in.
 *
 * - One transaction. The rules run inside it. A refusal (DomainError) does not roll back: the
 *   transaction still commits exactly one history row (plus the stored answer for a scanId), and
 *   only then is the error thrown. Rules must therefore refuse before their first write — every
 *   use case in this folder checks everything, then writes.
 * - A scanId is claimed by the transaction's last statement, together with the answer and the
 *   history row (scan-requests.repository.ts). If an earlier request already holds it, that
 *   statement waits for it to commit, claims nothing, and everything this attempt did is rolled
 *   back; the stored answer is returned (or re-thrown) instead. Claiming last instead of first
 *   saves two round trips on every scan; the rare retry pays for a rolled-back attempt.
 * - Anything else thrown (a bug, a lost connection) rolls everything back, history included:
 *   the client retries with the same scanId and nothing was counted.
 */
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { DomainError, ERROR_CODES, isDomainError, type ErrorCode } from './errors.js';
import { sourceOf } from './audit/event.js';
import { normaliseCode } from './codes.js';
import { findScanRequest, recordAttempt, type AttemptRecord, type WriteResult } from '../storage/scan-requests.repository.js';
import type { Tx } from '../storage/database.js';
import { isRetryableConflict } from '../storage/errors.js';
import { withRetries } from '../lib/retry.js';
import { liveEventOf, type LiveEvent } from './live/live.js';

/** What the history row says about the attempt; the body fills it in as it learns facts. */
export interface AttemptNote {
  subject?: string | null;
  related?: string | null;
  areaId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Normalises a scanned bag code for an attempt: the subject of its history row, or, when the
 * code cannot be normalised, a short excerpt of the input in the row's details.
 */
export function scannedCode(raw: string, note: AttemptNote): string {
  try {
    const code = normaliseCode(raw);
    note.subject = code;
    return code;
  } catch (err) {
    note.details = { ...note.details, input: raw.slice(0, 64), inputLength: raw.length };
    throw err;
  }
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

/** Runs of one attempt when PostgreSQL aborts it as a deadlock victim or serialization failure. */
const MAX_CONFLICT_RUNS = 3;

/** Thrown inside the transaction when the scanId was already claimed: rolls this attempt back. */
class ScanIdTaken extends Error {}

export async function runAttempt<T>(
  ctx: Ctx,
  actor: Actor,
  spec: AttemptSpec<T>,
  body: (tx: Tx, note: AttemptNote, now: Date) => Promise<Accepted<T>>,
): Promise<T> {
  // Chosen as a deadlock's victim (an import chunk locks its bags in code order, a scan its
  // parent first): everything was rolled back, so the attempt simply runs again.
  const result = await withRetries(
    MAX_CONFLICT_RUNS,
    isRetryableConflict,
    async () => (await attemptOnce(ctx, actor, spec, body)) ?? (await replay(ctx, actor, spec)),
  );
  if (!result.ok) throw result.error;
  return result.value;
}

/** Runs and records the attempt; undefined when its scanId turned out to be taken (rolled back). */
async function attemptOnce<T>(
  ctx: Ctx,
  actor: Actor,
  spec: AttemptSpec<T>,
  body: (tx: Tx, note: AttemptNote, now: Date) => Promise<Accepted<T>>,
): Promise<Outcome<T> | undefined> {
  const now = ctx.clock.now();
  let live: LiveEvent | undefined; // published once the history row is committed
  let result: Outcome<T>;
  try {
    result = await ctx.db.transaction().execute(async (tx): Promise<Outcome<T>> => {
      const note: AttemptNote = { areaId: actor.areaId };
      const { outcome, historyOutcome } = (await decided<T, Accepted<T>>(() => body(tx, note, now), note))!;
      const record = recordOf(actor, spec, note, historyOutcome, outcome, now);
      if ((await recordAttempt(tx, record)) === 'taken') throw new ScanIdTaken();
      live = liveEventOf(actor, spec.action, historyOutcome, outcome.ok, note, now);
      return outcome;
    });
  } catch (err) {
    if (err instanceof ScanIdTaken) return undefined;
    throw err;
  }
  if (live) ctx.live?.publish(live);
  return result;
}

/** What the rules decided: the value, or the refusal they threw (anything else is thrown on). */
async function decided<T, A extends Accepted<T>>(
  run: () => Promise<A | undefined>,
  note: AttemptNote,
): Promise<{ outcome: Outcome<T>; historyOutcome: string; accepted?: A } | undefined> {
  try {
    const accepted = await run();
    return accepted && { outcome: { ok: true, value: accepted.value }, historyOutcome: accepted.outcome, accepted };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    if (err.details) note.details = { ...note.details, ...err.details };
    return { outcome: { ok: false, error: err }, historyOutcome: err.code };
  }
}

/** The history row of an attempt and, with a scanId, its claim carrying the answer. */
function recordOf<T>(
  actor: Actor,
  spec: AttemptSpec<T>,
  note: AttemptNote,
  historyOutcome: string,
  outcome: Outcome<T>,
  now: Date,
): AttemptRecord {
  const event = {
    action: spec.action,
    outcome: historyOutcome,
    subject: note.subject ?? null,
    related: note.related ?? null,
    areaId: note.areaId ?? null,
    details: spec.scanId ? { ...note.details, scanId: spec.scanId } : (note.details ?? null),
  };
  const claim = spec.scanId
    ? { userId: actor.userId, scanId: spec.scanId, endpoint: spec.action, outcome: historyOutcome, response: toStored(outcome) }
    : undefined;
  return { source: sourceOf(actor), event, at: now, ...(claim ? { claim } : {}) };
}

/** An unlocked attempt's accepted decision, with the one statement that writes it (and its record). */
export interface UnlockedAccepted<T> extends Accepted<T> {
  /** Writes the decision with the attempt's record if the rows it was decided on are unchanged. */
  write?: (record: AttemptRecord) => Promise<WriteResult>;
}

/** Runs of an unlocked attempt whose rows changed under it, before the locked attempt takes over. */
const MAX_UNLOCKED_RUNS = 3;

/**
 * A recorded attempt without a transaction (issue 14, docs/decisions/0026): the body reads in
 * single statements, without locks, and the rules decide on that snapshot. A refusal or a repeat
 * writes its record alone (the claim first, the history row only with it); an accepted decision
 * hands back one statement that writes it with its record only if the rows read are unchanged.
 * When they changed, the body runs again on a new read. Undefined when the body declines
 * (returns undefined) or the rows kept changing: the caller then runs the locked attempt.
 * The guarantees are runAttempt's: one history row per answered attempt, one answer per scanId.
 */
export async function runUnlockedAttempt<T>(
  ctx: Ctx,
  actor: Actor,
  spec: AttemptSpec<T>,
  body: (note: AttemptNote, now: Date) => Promise<UnlockedAccepted<T> | undefined>,
): Promise<T | undefined> {
  for (let run = 0; run < MAX_UNLOCKED_RUNS; run++) {
    const now = ctx.clock.now();
    const note: AttemptNote = { areaId: actor.areaId };
    const d = await decided<T, UnlockedAccepted<T>>(() => body(note, now), note);
    if (!d) return undefined;
    const { outcome, historyOutcome, accepted } = d;
    const record = recordOf(actor, spec, note, historyOutcome, outcome, now);
    const write = accepted?.write;
    let written: WriteResult;
    try {
      written = write ? await write(record) : await recordAttempt(ctx.db, record);
    } catch (err) {
      if (!isRetryableConflict(err)) throw err;
      written = 'changed'; // a deadlock's victim: the one statement was rolled back
    }
    if (written === 'changed') continue;
    const answer = written === 'taken' ? await replay(ctx, actor, spec) : outcome;
    if (written === 'done') ctx.live?.publish(liveEventOf(actor, spec.action, historyOutcome, outcome.ok, note, now));
    if (!answer.ok) throw answer.error;
    return answer.value;
  }
  return undefined;
}

/** What the earlier request with this scanId answered; a scanId reused for another action is refused. */
async function replay<T>(ctx: Ctx, actor: Actor, spec: AttemptSpec<T>): Promise<Outcome<T>> {
  const stored = await findScanRequest(ctx.db, actor.userId, spec.scanId!);
  if (!stored || stored.outcome === null) throw new Error(`scan request ${spec.scanId} has no stored answer`);
  if (stored.endpoint !== spec.action) {
    // A client bug: refuse it, on the record (one history row, nothing stored for the scanId).
    const refused = await attemptOnce<T>(ctx, actor, { action: spec.action }, async (_tx, note) => {
      note.details = { reason: 'scanId reused', scanId: spec.scanId };
      throw new DomainError('validation_failed', 'This scanId was already used for another kind of request');
    });
    return refused!;
  }
  const answer = stored.response as StoredAnswer;
  if ('error' in answer) {
    const known = (ERROR_CODES as readonly string[]).includes(answer.error.code);
    return {
      ok: false,
      error: new DomainError(known ? (answer.error.code as ErrorCode) : 'validation_failed', answer.error.message, answer.error.details),
    };
  }
  return { ok: true, value: spec.revive ? spec.revive(answer.ok) : (answer.ok as T) };
}

function toStored<T>(o: Outcome<T>): StoredAnswer {
  if (o.ok) return { ok: o.value };
  const { code, message, details } = o.error;
  return { error: details ? { code, message, details } : { code, message } };
}
