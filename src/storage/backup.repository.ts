/**
 * SQL of `tracetrack backup` / `restore` (docs/decisions/0020-backup-format.md). Generic over
 * the schema: every table of `public` but schema_migrations, read from the catalog, so a table a
 * later migration adds is backed up without a change here. Rows travel as PostgreSQL's own
 * `to_jsonb` text and come back through `jsonb_populate_recordset`, so both engines (PGlite is
 * PostgreSQL) convert every type themselves: no timestamp loses its microseconds, no int8 its digits.
 */
import { sql, type Kysely } from 'kysely';
import type { Executor } from './database.js';

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Columns referencing the table itself (bags.parent_id): rows where these are null go first. */
  selfRefs: string[];
  /** Tables this one references (other than itself). */
  references: string[];
}

export interface SequenceInfo {
  sequence: string;
  table: string;
  column: string;
  value: string;
  isCalled: boolean;
}

const q = (name: string) => sql.id(name);
const cols = (names: readonly string[]) => sql.join(names.map((n) => sql.id(n)));

export async function appliedMigrations(db: Executor): Promise<string[] | null> {
  const exists = await sql<{ t: string | null }>`select to_regclass('public.schema_migrations')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return null;
  const r = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db);
  return r.rows.map((x) => x.name);
}

/** The tables in an order that inserts referenced rows first (ties by name, cycles broken by name). */
export async function describeTables(db: Executor): Promise<TableInfo[]> {
  const t = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'schema_migrations' order by 1`.execute(db);
  const c = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`.execute(db);
  const k = await sql<{ tbl: string; col: string; kind: string; ref: string | null }>`
    select cl.relname as tbl, a.attname as col, co.contype as kind, rc.relname as ref
    from pg_constraint co
    join pg_class cl on cl.oid = co.conrelid
    join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
    cross join lateral unnest(co.conkey) with ordinality as u(attnum, pos)
    join pg_attribute a on a.attrelid = co.conrelid and a.attnum = u.attnum
    left join pg_class rc on rc.oid = co.confrelid
    where co.contype in ('p', 'f') order by cl.relname, co.conname, u.pos`.execute(db);
  const infos = new Map<string, TableInfo>();
  for (const { name } of t.rows) infos.set(name, { name, columns: [], primaryKey: [], selfRefs: [], references: [] });
  for (const r of c.rows) infos.get(r.table_name)?.columns.push(r.column_name);
  for (const r of k.rows) {
    const info = infos.get(r.tbl);
    if (!info) continue;
    if (r.kind === 'p') info.primaryKey.push(r.col);
    else if (r.ref === r.tbl) info.selfRefs.push(r.col);
    else if (r.ref && !info.references.includes(r.ref)) info.references.push(r.ref);
  }
  for (const info of infos.values()) {
    // No primary key: page by every column (rare; keeps the reader generic).
    if (info.primaryKey.length === 0) info.primaryKey = [...info.columns];
  }
  const ordered: TableInfo[] = [];
  const done = new Set<string>();
  const visit = (info: TableInfo, path: Set<string>) => {
    if (done.has(info.name) || path.has(info.name)) return;
    path.add(info.name);
    for (const ref of info.references) {
      const dep = infos.get(ref);
      if (dep) visit(dep, path);
    }
    done.add(info.name);
    ordered.push(info);
  };
  for (const info of infos.values()) visit(info, new Set());
  return ordered;
}

export async function countRows(db: Executor, table: string): Promise<number> {
  const r = await sql<{ n: string }>`select count(*)::text as n from ${q(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Sequences owned by a column (serial / identity), with their current state. */
export async function readSequences(db: Executor): Promise<SequenceInfo[]> {
  const r = await sql<{ sequence: string; table: string; column: string }>`
    select s.relname as sequence, t.relname as table, a.attname as column
    from pg_class s
    join pg_namespace n on n.oid = s.relnamespace and n.nspname = 'public'
    join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')
    join pg_class t on t.oid = d.refobjid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
    where s.relkind = 'S' order by 1`.execute(db);
  const out: SequenceInfo[] = [];
  for (const s of r.rows) {
    const v = await sql<{ value: string; is_called: boolean }>`select last_value::text as value, is_called from ${q(s.sequence)}`.execute(
      db,
    );
    out.push({ ...s, value: v.rows[0]!.value, isCalled: v.rows[0]!.is_called });
  }
  return out;
}

/**
 * A table's rows as JSON text, in keyset pages of `batch` (never the whole table in memory).
 * Tables that reference themselves give first the rows whose self-references are null.
 */
export async function* readRows(db: Executor, info: TableInfo, batch = 2000): AsyncGenerator<string[]> {
  const passes =
    info.selfRefs.length === 0
      ? [sql`true`]
      : [
          sql.join(
            info.selfRefs.map((c) => sql`${q(c)} is null`),
            sql` and `,
          ),
          sql`not (${sql.join(
            info.selfRefs.map((c) => sql`${q(c)} is null`),
            sql` and `,
          )})`,
        ];
  const key = cols(info.primaryKey.map(String));
  const rowKey = sql.join(info.primaryKey.map((c) => sql`t.${q(c)}`));
  for (const filter of passes) {
    let last: string | null = null;
    for (;;) {
      const after =
        last === null ? sql`true` : sql`(${rowKey}) > (select ${key} from jsonb_populate_record(null::${q(info.name)}, ${last}::jsonb))`;
      const r: { rows: Array<{ j: string }> } = await sql<{ j: string }>`
        select to_jsonb(t)::text as j from ${q(info.name)} t where (${filter}) and ${after}
        order by ${rowKey} limit ${batch}`.execute(db);
      if (r.rows.length === 0) break;
      yield r.rows.map((x) => x.j);
      last = r.rows[r.rows.length - 1]!.j;
      if (r.rows.length < batch) break;
    }
  }
}

/** Empties every table (one statement, so foreign keys between them do not matter). */
export async function truncateAll(db: Executor, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  await sql`truncate ${cols(tables)} restart identity cascade`.execute(db);
}

/** Rows in tables a migration does not seed: a database someone already uses. */
export async function hasUserData(db: Executor, tables: readonly string[]): Promise<string[]> {
  const seeded = new Set(['areas', 'bag_kinds', 'stat_zone', 'settings']);
  const busy: string[] = [];
  for (const t of tables) {
    if (seeded.has(t) || t.startsWith('stat_')) continue;
    const r = await sql<{ one: number }>`select 1 as one from ${q(t)} limit 1`.execute(db);
    if (r.rows.length > 0) busy.push(t);
  }
  return busy;
}

/**
 * Restore writes exact rows: user triggers (the events append-only guard, the dashboard counter
 * triggers, whose counts arrive as rows of their own) are off for the restoring transaction only.
 * Foreign keys and checks stay on.
 */
export async function setUserTriggers(db: Executor, tables: readonly string[], enabled: boolean): Promise<void> {
  for (const t of tables) {
    await sql`alter table ${q(t)} ${sql.raw(enabled ? 'enable' : 'disable')} trigger user`.execute(db);
  }
}

export async function insertRows(db: Executor, table: string, columns: readonly string[], rowsJson: readonly string[]): Promise<void> {
  const list = cols(columns);
  const json = `[${rowsJson.join(',')}]`;
  await sql`insert into ${q(table)} (${list}) overriding system value
    select ${list} from jsonb_populate_recordset(null::${q(table)}, ${json}::jsonb)`.execute(db);
}

/** Puts each sequence where the backup had it, and never below its column's largest value. */
export async function restoreSequence(db: Executor, s: SequenceInfo): Promise<void> {
  await sql`select setval(${s.sequence}::regclass, greatest(${s.value}::bigint, m.v), m.v >= ${s.value}::bigint or ${s.isCalled})
    from (select coalesce(max(${q(s.column)}), 0)::bigint as v from ${q(s.table)}) m`.execute(db);
}

export async function existingSequences(db: Executor): Promise<Set<string>> {
  const r = await sql<{ name: string }>`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'S'`.execute(db);
  return new Set(r.rows.map((x) => x.name));
}

/** One snapshot for the whole backup: REPEATABLE READ, read only. */
// biome-ignore lint/suspicious/noExplicitAny: any schema: the backup reads whatever tables the database has
export async function inSnapshot<T>(db: Kysely<any>, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      await sql`set transaction read only`.execute(tx);
      return fn(tx as Executor);
    });
}
