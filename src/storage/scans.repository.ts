/**
 * The unlocked scans' SQL (issue 14, docs/decisions/0026): one read, then one write that applies
 * only if the rows read are unchanged (migrations/0016_scan_writes.sql). Both are single autocommitted
 * statements, so a scan costs two round trips and no BEGIN or COMMIT.
 */
import type { BagRecord } from '../domain/bags/bag.js';
import type { Db } from './database.js';
import { BAG_FIELDS, toBag, type BagFields } from './bags.repository.js';
import { statement } from './prepared.js';
import { recordParams, type AttemptRecord, type WriteResult } from './scan-requests.repository.js';

/** A bag as read, with its row version (xmin): the write checks the row is still this one. */
export type ReadBag = BagRecord & { version: string };

type VersionedRow = BagFields & { version: string; is_parent: boolean };
const toReadBag = ({ version, is_parent: _p, ...row }: VersionedRow): ReadBag => ({ ...toBag(row), version });

/** The parent and the child (none for a null code) in one snapshot, neither locked. */
export async function readParentAndChild(
  db: Db,
  parentCode: string | null,
  code: string | null,
): Promise<{ parent?: ReadBag; child?: ReadBag }> {
  const rows = await readParentAndChildSql(db, [parentCode, code]);
  const parent = rows.find((r) => r.is_parent);
  const child = rows.find((r) => !r.is_parent);
  return { ...(parent ? { parent: toReadBag(parent) } : {}), ...(child ? { child: toReadBag(child) } : {}) };
}
const readParentAndChildSql = statement<VersionedRow>(
  'read_parent_and_child',
  `select ${BAG_FIELDS}, b.xmin::text as version, true as is_parent from bags b where b.code = $1
   union all
   select ${BAG_FIELDS}, b.xmin::text as version, false as is_parent from bags b where b.code = $2`,
);

/** The actor and the time are the record's (its history row's actor_id and at). */
export interface ChildLink {
  parent: ReadBag;
  /** An existing, unlinked child as read, or the code and kind of a new one. */
  child: { existing: ReadBag } | { code: string; kindId: string };
}

/** `$from, …, $from+16`: the record's parameters (recordParams) after a write's own. */
const RECORD_ARGS = (from: number) => Array.from({ length: 17 }, (_, i) => `$${from + i}`).join(', ');

/** A scan write's outcome: its result, or what its SQLSTATE means (TT001 changed, TT002 taken). */
async function written(write: Promise<Array<{ result: string }>>): Promise<WriteResult> {
  try {
    const [row] = await write;
    return row!.result === 'done' ? 'done' : 'changed';
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'TT001') return 'changed';
    if (code === 'TT002') return 'taken';
    throw err;
  }
}

/**
 * Links the child and counts it, claims the scanId and writes the history row, in one statement,
 * if neither bag changed since it was read. 'changed': read again and decide again.
 */
export function linkChildIfUnchanged(db: Db, link: ChildLink, record: AttemptRecord): Promise<WriteResult> {
  const existing = 'existing' in link.child ? link.child.existing : undefined;
  const created = 'code' in link.child ? link.child : undefined;
  return written(
    linkChildSql(db, [
      link.parent.id,
      link.parent.version,
      existing?.id ?? null,
      existing?.version ?? null,
      existing ? existing.code : created!.code,
      existing ? existing.kind : created!.kindId, // a legacy child may have no kind
      ...recordParams(record),
    ]),
  );
}
const linkChildSql = statement<{ result: string }>(
  'link_child_if_unchanged',
  `select link_child_if_unchanged($1, $2, $3, $4, $5, $6, ${RECORD_ARGS(7)}) as result`,
);

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
