/**
 * One import unit applied inside the import's transaction, through the very functions the
 * scan and bill use cases run (applyParentScan, applyChildScan, applyLinkParent,
 * applyCreateBill): every rule of SPEC §2–§4 holds for a file row exactly as for a scan. Those
 * functions refuse before their first write, so a refused row leaves nothing behind; a label
 * block runs under a savepoint so that it is all-or-nothing. Bag rows run the scan rules on the
 * chunk's store (chunk-store.ts, ADR 0024); bill rows run the bill rules on the transaction.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { NewEvent } from '../audit/event.js';
import { classifyCode, normaliseCode } from '../codes.js';
import { DomainError, isDomainError } from '../errors.js';
import { applyChildScan } from '../scans/child-scan.service.js';
import { applyParentScan } from '../scans/parent-scan.service.js';
import { applyLinkParent } from '../bills/bill-links.service.js';
import { applyCreateBill } from '../bills/bills.service.js';
import { tryNormaliseBillId, MAX_BILL_CAPACITY } from '../bills/bill.js';
import type { Accepted, AttemptNote } from '../attempt.js';
import { findBill } from '../../storage/bills.repository.js';
import type { Tx } from '../../storage/database.js';
import type { ImportStore } from './chunk-store.js';
import { cellOf, codeOfRow, qrOf, srNoOf, UNCHANGED, type ImportKind, type Row, type RowResult, type Unit } from './import.js';

export interface Applied {
  results: RowResult[];
  events: NewEvent[];
}

interface Env {
  ctx: Ctx;
  tx: Tx;
  /** The bags the chunk's rows name, read once; the scan rules run on it. */
  store: ImportStore;
  actor: Actor;
  kind: ImportKind;
  importId: string;
  now: Date;
}

type Step = (note: AttemptNote) => Promise<Accepted<unknown>>;

/** Runs one rule for one row; a refusal becomes a failed (or, for a duplicate, skipped) row. */
async function step(env: Env, out: Applied, row: Row, fn: Step, action = 'import.bag'): Promise<RowResult> {
  const note: AttemptNote = {};
  let r: RowResult;
  try {
    const a = await fn(note);
    const code = note.subject ?? codeOfRow(env.kind, row);
    if (UNCHANGED.has(a.outcome))
      r = { rowNo: row.rowNo, code, outcome: 'skipped', reason: a.outcome, message: `Nothing to do (${a.outcome.replace(/_/g, ' ')})` };
    else {
      r = { rowNo: row.rowNo, code, outcome: a.outcome === 'created' ? 'created' : 'linked' };
      out.events.push({
        action,
        outcome: a.outcome,
        subject: note.subject ?? null,
        related: note.related ?? null,
        areaId: note.areaId ?? null,
        details: { importId: env.importId, row: row.rowNo },
      });
    }
  } catch (err) {
    if (!isDomainError(err)) throw err;
    const code = note.subject ?? codeOfRow(env.kind, row);
    const outcome = err.code === 'duplicate_bill' ? 'skipped' : 'failed';
    r = { rowNo: row.rowNo, code, outcome, reason: err.code, message: err.message };
  }
  out.results.push(r);
  return r;
}

export async function applyUnit(env: Env, u: Unit): Promise<Applied> {
  const out: Applied = { results: [], events: [] };
  if (u.type === 'row') await (env.kind === 'bags' ? bagRow(env, out, u.row) : billRow(env, out, u.row));
  else if (u.type === 'label_block') await labelBlock(env, out, u);
  else await billBlock(env, out, u);
  out.results.sort((a, b) => a.rowNo - b.rowNo);
  return out;
}

function bagRow(env: Env, out: Applied, row: Row): Promise<RowResult> {
  const { ctx, store, actor, now } = env;
  const code = cellOf(row, 'code');
  const type = cellOf(row, 'type').toLowerCase();
  const parentCode = cellOf(row, 'parentcode');
  const area = cellOf(row, 'area') || undefined;
  return step(env, out, row, async (note) => {
    if (type === 'parent') return applyParentScan(ctx, store, actor, { code, area }, note, now);
    if (type !== 'child') throw new DomainError('validation_failed', 'type must be "parent" or "child"');
    if (parentCode) return applyChildScan(ctx, store, actor, { parentCode, code }, note, now);
    return looseChild(env, code, area, note);
  });
}

/**
 * A child with no parent (only imports make one): an existing child is left as it is; a new
 * code must fit a child pattern (a parent-looking code is wrong_bag_type, as at a child scan).
 */
async function looseChild(env: Env, raw: string, area: string | undefined, note: AttemptNote): Promise<Accepted<unknown>> {
  const code = normaliseCode(raw);
  note.subject = code;
  const existing = await env.store.findBag(code);
  if (existing) {
    if (existing.type !== 'child') throw new DomainError('wrong_bag_type', `${code} is a parent bag, not a child`);
    return { outcome: 'exists', value: existing };
  }
  const kind = classifyCode(code, await env.ctx.kinds.list(env.store.tx));
  if (!kind) throw new DomainError('invalid_format', `"${code}" is not a bag code this system knows`);
  if (kind.type !== 'child') throw new DomainError('wrong_bag_type', `${code} is a parent bag code, not a child`);
  const a = area !== undefined ? await env.store.findArea(area) : await env.store.firstArea();
  if (!a?.active) throw new DomainError('validation_failed', area ? `Unknown or inactive area "${area}"` : 'No active area');
  note.areaId = a.id;
  const bag = await env.store.insertBag(
    { code, type: 'child', kindId: kind.id, areaId: a.id, status: 'unlinked', capacity: null, createdBy: env.actor.userId },
    env.now,
  );
  return bag ? { outcome: 'created', value: bag } : { outcome: 'exists', value: null };
}

function billRow(env: Env, out: Applied, row: Row): Promise<RowResult> {
  return step(
    env,
    out,
    row,
    (note) =>
      applyCreateBill(
        env.tx,
        env.actor,
        {
          billId: cellOf(row, 'billid'),
          capacity: toCapacity(cellOf(row, 'capacity')),
          description: cellOf(row, 'description') || null,
          destination: cellOf(row, 'destination') || null,
          vehicleNumber: cellOf(row, 'vehiclenumber') || null,
        },
        note,
        env.now,
      ),
    'import.bill',
  );
}

/** A number as typed in a sheet; anything else is left for the capacity rule to refuse. */
const toCapacity = (s: string): number => (/^\s*\d+(\.0+)?\s*$/.test(s) ? Number(s) : Number.NaN);

async function labelBlock(env: Env, out: Applied, u: Extract<Unit, { type: 'label_block' }>): Promise<void> {
  if (!u.parent) {
    for (const c of u.children)
      out.results.push({
        rowNo: c.row.rowNo,
        code: c.code,
        outcome: 'failed',
        reason: 'parent_not_found',
        message: 'No parent row closes this block of labels',
      });
    return;
  }
  const parentRow = u.parent;
  const block: Applied = { results: [], events: [] };
  await env.store.savepoint();
  const p = await step(env, block, parentRow, (note) =>
    applyParentScan(env.ctx, env.store, env.actor, { code: qrOf(parentRow) }, note, env.now),
  );
  let failed = p.outcome === 'failed' ? p : undefined;
  for (const c of u.children) {
    if (failed) break;
    const r = await step(env, block, c.row, (note) =>
      applyChildScan(env.ctx, env.store, env.actor, { parentCode: p.code ?? '', code: c.code }, note, env.now),
    );
    if (r.outcome === 'failed') failed = r;
  }
  if (!failed) {
    await env.store.releaseSavepoint();
    out.results.push(...block.results);
    out.events.push(...block.events);
    return;
  }
  await env.store.rollbackToSavepoint();
  const why = `Block refused: row ${failed.rowNo}: ${failed.message}`;
  const failedCode = failed.reason ?? 'validation_failed';
  out.results.push({ ...failed });
  for (const r of [{ row: parentRow, code: p.code }, ...u.children.map((c) => ({ row: c.row, code: c.code }))]) {
    if (r.row.rowNo !== failed.rowNo)
      out.results.push({ rowNo: r.row.rowNo, code: r.code, outcome: 'failed', reason: failedCode, message: why });
  }
}

async function billBlock(env: Env, out: Applied, u: Extract<Unit, { type: 'bill_block' }>): Promise<void> {
  const refuse = (rows: Row[], reason: string, message: string) => {
    for (const r of rows) out.results.push({ rowNo: r.rowNo, code: codeOfRow(env.kind, r), outcome: 'failed', reason, message });
  };
  if (!u.bill) return refuse(u.parents, 'bill_not_found', 'No bill row closes these parent rows');
  const raw = qrOf(u.bill) || srNoOf(u.bill).replace(/^.*?bill\s*(no\.?|number|id)?\s*[:#-]?\s*/i, '');
  const billRowNo = u.bill.rowNo;
  const normalised = tryNormaliseBillId(raw);
  const existing = normalised === undefined ? undefined : await findBill(env.tx, normalised);
  let billId = normalised ?? raw;
  if (existing) {
    out.results.push({
      rowNo: billRowNo,
      code: existing.billId,
      outcome: 'skipped',
      reason: 'exists',
      message: `Bill ${existing.billId} already exists`,
    });
  } else {
    const capacity = Math.min(Math.max(u.parents.length, 1), MAX_BILL_CAPACITY);
    const made = await step(
      env,
      out,
      u.bill,
      (note) => applyCreateBill(env.tx, env.actor, { billId: raw, capacity }, note, env.now),
      'import.bill',
    );
    if (made.outcome === 'failed') return refuse(u.parents, made.reason ?? 'bill_not_found', `Bill row ${billRowNo}: ${made.message}`);
    billId = made.code ?? billId;
  }
  for (const row of u.parents) {
    await step(env, out, row, (note) => applyLinkParent(env.tx, env.actor, billId, { code: qrOf(row) }, note, env.now));
  }
}
