/**
 * What PostgreSQL wrote to its WAL while a load ran, by relation and record type, per child scan
 * (issue 14: which tables and indexes a scan's commit carries). Marks the WAL position, waits
 * --seconds while the load runs elsewhere, then reads the records in between with pg_walinspect
 * (PostgreSQL 15+; created here if missing, so it needs a superuser: bench databases only) and
 * counts accepted child scans from the history rows written in the same window.
 *   DATABASE_URL=postgres://…/tt_ceiling node --import tsx bench/wal-by-relation.ts --seconds 60 [--top 30]
 * Records name their blocks as text in PostgreSQL 15 ("rel 1663/16387/16390 … blk 12 FPW");
 * the relation is matched through pg_class.relfilenode, so a table rewritten since (VACUUM FULL,
 * a new index) shows by number.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: a } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, top: { type: 'string', default: '30' } },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const client = new pg.Client({ connectionString: url, application_name: 'tt-wal' });
await client.connect();
await client.query('create extension if not exists pg_walinspect');

const lsn = async () => (await client.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
const from = await lsn();
const startedAt = new Date();
await new Promise((r) => setTimeout(r, Number(a.seconds) * 1000));
const to = await lsn();

const scans = Number(
  (
    await client.query<{ n: string }>(`select count(*) as n from events where action = 'scan.child' and outcome = 'linked' and at >= $1`, [
      startedAt,
    ])
  ).rows[0]!.n,
);

/**
 * Each record under the relation of its first block (the records of a scan name one relation,
 * but a B-tree split or a GIN list move names several pages of it); a record without blocks (a
 * commit) under '(no block)'. "With full page": the record carries at least one page image.
 */
const BY_RELATION = `
  select coalesce(c.relname, r.node::text, '(no block)') as rel, r.rt, count(*)::int as records,
    count(*) filter (where r.fpi_length > 0)::int as fpw, sum(r.record_length)::bigint as bytes
  from (select resource_manager || '/' || record_type as rt, record_length, fpi_length,
               (regexp_match(coalesce(block_ref, ''), 'rel \\d+/\\d+/(\\d+)'))[1]::oid as node
        from pg_get_wal_records_info($1, $2)) r
  left join pg_class c on c.relfilenode = r.node
  group by 1, 2`;
const { rows } = await client.query<{ rel: string; rt: string; records: number; fpw: number; bytes: string }>(BY_RELATION, [from, to]);
await client.end();

const perScan = (n: number) => (scans ? (n / scans).toFixed(2) : '–');
const mb = (n: number) => (n / 1e6).toFixed(2);
const byRel = new Map<string, { records: number; fpw: number; bytes: number; types: Map<string, number> }>();
for (const r of rows) {
  let e = byRel.get(r.rel);
  if (!e) byRel.set(r.rel, (e = { records: 0, fpw: 0, bytes: 0, types: new Map() }));
  e.records += r.records;
  e.fpw += r.fpw;
  e.bytes += Number(r.bytes);
  e.types.set(r.rt, (e.types.get(r.rt) ?? 0) + r.records);
}
// Each record sits in exactly one group, so the window's totals are the groups' sums.
const totals = { records: 0, fpi: 0, bytes: 0 };
for (const e of byRel.values()) {
  totals.records += e.records;
  totals.fpi += e.fpw;
  totals.bytes += e.bytes;
}
console.log(
  `WAL ${from} → ${to} over ${a.seconds} s: ${totals.records} records (${totals.fpi} with a full-page image), ${mb(totals.bytes)} MB; ${scans} child scans linked`,
);
console.log(`per child scan: ${perScan(totals.records)} records, ${scans ? Math.round(totals.bytes / scans) : '–'} bytes`);
console.log('| relation | records | per scan | with full page | MB | record types (most first) |');
console.log('|---|---|---|---|---|---|');
const sorted = [...byRel.entries()].sort((x, y) => y[1].records - x[1].records).slice(0, Number(a.top));
for (const [rel, e] of sorted) {
  const types = [...e.types.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 4)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  console.log(`| ${rel} | ${e.records} | ${perScan(e.records)} | ${e.fpw} | ${mb(e.bytes)} | ${types} |`);
}
