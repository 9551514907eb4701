/**
 * The unlocked scans' SQL (issue 14, docs/decisions/0026): one read, then one write that applies
 * only if the rows read are unchanged (migrations/0016_scan_writes.sql). Both are single autocommitted
 * statements, so a scan costs two round trips and no BEGIN or COMMIT; scans that arrive while
 * others are being read or written share those calls (batches.ts, docs/decisions/0030).
 */
import type { BagRecord } from '../domain/bags/bag.js';
import type { Db } from './database.js';
import { BAG_FIELDS, toBag, type BagFields } from './bags.repository.js';
import { statement } from './prepared.js';
import { recordParams, type AttemptRecord, type WriteResult } from './scan-requests.repository.js';
import { Batches } from './batches.js';
import { isRetryableConflict } from './errors.js';
import { KNOWN_PARENTS_MAX, KnownParents } from './known-parents.js';

/** A bag as read, with its row version (xmin): the write checks the row is still this one. */
export type ReadBag = BagRecord & { version: string };

type VersionedRow = BagFields & { version: string; is_parent: boolean };
const toReadBag = ({ version, is_parent: _p, ...row }: VersionedRow): ReadBag => ({ ...toBag(row), version });

/** The parent and the child (none for a null code) in one snapshot, neither locked. */
export function readParentAndChild(db: Db, parentCode: string | null, code: string | null): Promise<ReadPair> {
  return scanCallsOf(db).reads.submit([parentCode, code]);
}
type ReadPair = { parent?: ReadBag; child?: ReadBag };
const readParentAndChildSql = statement<VersionedRow>(
  'read_parent_and_child',
  `select ${BAG_FIELDS}, b.xmin::text as version, true as is_parent from bags b where b.code = $1
   union all
   select ${BAG_FIELDS}, b.xmin::text as version, false as is_parent from bags b where b.code = $2`,
);
const readBagsSql = statement<VersionedRow>(
  'read_bags_by_code',
  `select ${BAG_FIELDS}, b.xmin::text as version, false as is_parent from bags b where b.code = any($1::text[])`,
);

/** One pair alone by the pair's own statement; several by one statement over all their codes. */
async function sendReads(db: Db, pairs: Array<[string | null, string | null]>): Promise<ReadPair[]> {
  if (pairs.length === 1) {
    const rows = await readParentAndChildSql(db, pairs[0]!);
    return [
      pairOf(
        rows.find((r) => r.is_parent),
        rows.find((r) => !r.is_parent),
      ),
    ];
  }
  const codes = [...new Set(pairs.flat().filter((c): c is string => c !== null))];
  const byCode = new Map((await readBagsSql(db, [codes])).map((r) => [r.code, r]));
  const found = (code: string | null) => (code === null ? undefined : byCode.get(code));
  return pairs.map(([parentCode, code]) => pairOf(found(parentCode), found(code)));
}
const pairOf = (parent: VersionedRow | undefined, child: VersionedRow | undefined): ReadPair => ({
  ...(parent ? { parent: toReadBag(parent) } : {}),
  ...(child ? { child: toReadBag(child) } : {}),
});

/** The actor and the time are the record's (its history row's actor_id and at). */
export interface ChildLink {
  parent: ReadBag;
  /** An existing, unlinked child as read, or the code and kind of a new one. */
  child: { existing: ReadBag } | { code: string; kindId: string };
  /** The parent as the link leaves it: remembered for the next scan into it (rememberedParent). */
  parentAfter?: BagRecord;
}

/**
 * The parent `code` as this process's last link into it left it, if it remembers it (a guess:
 * known-parents.ts). A link decided on it goes like any other; if the parent changed meanwhile,
 * or the child's code is taken, it answers 'changed' and nothing of it is written.
 */
export function rememberedParent(db: Db, code: string | null): ReadBag | undefined {
  return scanCallsOf(db).known.get(code);
}
/** How often child scans skipped their read on a remembered parent, and how often that missed. */
export function rememberedParentStats(db: Db): { used: number; missed: number } {
  return { ...scanCallsOf(db).known.stats };
}

/** `$from, …, $from+16`: the record's parameters (recordParams) after a write's own. */
const RECORD_ARGS = (from: number) => Array.from({ length: 17 }, (_, i) => `$${from + i}`).join(', ');

/**
 * A scan write's answer: 'done' (for a child link 'done <the parent's new row version>'),
 * 'changed' (the parent, or a parent scan's code), 'child changed' (SQLSTATE TT001) or 'taken'
 * (TT002). Nothing was written unless done.
 */
async function answered(write: Promise<Array<{ result: string }>>): Promise<string> {
  try {
    const [row] = await write;
    return row!.result;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'TT001') return 'child changed';
    if (code === 'TT002') return 'taken';
    throw err;
  }
}
const resultOf = (answer: string): WriteResult =>
  answer === 'taken' ? 'taken' : answer === 'done' || answer.startsWith('done ') ? 'done' : 'changed';
const written = async (write: Promise<Array<{ result: string }>>): Promise<WriteResult> => resultOf(await answered(write));

/**
 * Links the child and counts it, claims the scanId and writes the history row, in one statement,
 * if neither bag changed since it was read. 'changed': read again and decide again. While earlier
 * links are in flight it waits and goes with the others that wait, in one call (batches.ts).
 */
export async function linkChildIfUnchanged(db: Db, link: ChildLink, record: AttemptRecord): Promise<WriteResult> {
  const existing = 'existing' in link.child ? link.child.existing : undefined;
  const created = 'code' in link.child ? link.child : undefined;
  const calls = scanCallsOf(db);
  const answer = await calls.links.submit([
    link.parent.id,
    link.parent.version,
    existing?.id ?? null,
    existing?.version ?? null,
    existing ? existing.code : created!.code,
    existing ? existing.kind : created!.kindId, // a legacy child may have no kind
    ...recordParams(record),
  ]);
  const done = answer.startsWith('done ');
  const after = done && link.parentAfter ? { ...link.parentAfter, version: answer.slice('done '.length) } : undefined;
  calls.known.linked(link.parent, done ? 'done' : (answer as 'changed' | 'child changed' | 'taken'), after);
  return resultOf(answer);
}
const linkChildSql = statement<{ result: string }>(
  'link_child_if_unchanged',
  `select link_child_if_unchanged($1, $2, $3, $4, $5, $6, ${RECORD_ARGS(7)}) as result`,
);
const linkChildrenSql = statement<{ results: string[] }>('link_children_together', 'select link_children_together($1::jsonb) as results');
/** link_children_together's names for a link's 23 parameters (migrations/0021), in their order. */
const LINK_FIELDS = [
  'parent_id',
  'parent_version',
  'child_id',
  'child_version',
  'child_code',
  'child_kind',
  'at',
  'actor_id',
  'actor_name',
  'action',
  'outcome',
  'subject',
  'related',
  'area_id',
  'ip',
  'station',
  'request_id',
  'details',
  'user_id',
  'scan_id',
  'endpoint',
  'claim_outcome',
  'response',
];

/** Calls in flight per database at most, of reads and of writes each (SCAN_CALL_SLOTS). */
export const DEFAULT_SCAN_CALL_SLOTS = 1;
interface ScanCalls {
  reads: Batches<[string | null, string | null], ReadPair>;
  links: Batches<unknown[], string>;
  known: KnownParents<ReadBag>;
}
const scanCalls = new WeakMap<Db, ScanCalls>();
/**
 * Sets the slots of `db`'s scan reads and child links, and how many parents it remembers (the
 * server, from its config), before its first scan.
 */
export function batchScanCalls(db: Db, slots: number, rememberedParents = KNOWN_PARENTS_MAX): void {
  scanCalls.set(db, {
    reads: new Batches({ slots, max: 32, stallMs: 50, send: (pairs) => sendReads(db, pairs) }),
    links: new Batches({ slots, max: 32, stallMs: 50, send: (links) => sendLinks(db, links) }),
    known: new KnownParents(rememberedParents),
  });
}
/** The scan reads' and child links' calls made on `db` by this process, and the scans they carried. */
export function scanCallStats(db: Db): { reads: CallStats; links: CallStats } {
  const { reads, links } = scanCallsOf(db);
  return { reads: { ...reads.sent }, links: { ...links.sent } };
}
export interface CallStats {
  calls: number;
  items: number;
}
function scanCallsOf(db: Db): ScanCalls {
  if (!scanCalls.has(db)) batchScanCalls(db, DEFAULT_SCAN_CALL_SLOTS);
  return scanCalls.get(db)!;
}

/**
 * One link goes as the single call; more go as one batch call (link_children_together,
 * migrations 0021 and 0023), their parents in id order (two batches lock shared parents in one
 * order). A deadlock fails every link of the batch, each to be read and decided again
 * (runUnlockedAttempt). Any other error of the call rolls all of it back — a code or a scanId
 * taken meanwhile (TT001, TT002), a constraint, a bug — and the links go again one by one, so a
 * refusal or an error reaches only the link it belongs to. A lost connection fails them all:
 * nothing was answered, and the clients retry with their scanIds.
 */
async function sendLinks(db: Db, batch: unknown[][]): Promise<Array<string | Error>> {
  if (batch.length === 1) return [await answered(linkChildSql(db, batch[0]!)).catch(asError)];
  const order = batch.map((_, i) => i).sort((a, b) => Number(batch[a]![0]) - Number(batch[b]![0]));
  const links = order.map((i) => Object.fromEntries([['i', i + 1], ...LINK_FIELDS.map((f, k) => [f, batch[i]![k]])]));
  try {
    const [row] = await linkChildrenSql(db, [JSON.stringify(links)]);
    return row!.results.map((r) =>
      /^(done \d+|changed|child changed|taken)$/.test(r) ? r : new Error(`a batched child link answered ${r}`),
    );
  } catch (err) {
    if (isRetryableConflict(err) || !hasSqlState(err)) throw err;
    // One at a time, in the order they came, so each is decided after the ones before it (a
    // second link of the same code or scanId is refused as it would be alone).
    const answers: Array<string | Error> = [];
    for (const params of batch) answers.push(await answered(linkChildSql(db, params)).catch(asError));
    return answers;
  }
}
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
/** An error PostgreSQL reported for a statement (not a lost connection): the call was rolled back. */
const hasSqlState = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57');
};

/** Created by the record's actor at the record's time. */
export interface NewParent {
  code: string;
  kindId: string;
  areaId: string;
  capacity: number | null;
}

/** Creates the parent with the scan's record in one statement; 'changed' when its code exists by now. */
export function createParentIfAbsent(db: Db, p: NewParent, record: AttemptRecord): Promise<WriteResult> {
  return written(createParentSql(db, [p.code, p.kindId, p.areaId, p.capacity, ...recordParams(record)]));
}
const createParentSql = statement<{ result: string }>(
  'create_parent_if_absent',
  `select create_parent_if_absent($1, $2, $3, $4, ${RECORD_ARGS(5)}) as result`,
);
