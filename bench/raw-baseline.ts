/**
 * The ceiling: the statements of one child scan (ADR 0026: the parent and child read unlocked,
 * then one call that links, counts, claims and records) sent straight through `pg` by N concurrent clients, no
 * HTTP, no session, no app. Compare with `bench/load/main.ts --mode closed` at the same
 * concurrency: app throughput / raw throughput. `--coalesce` gives pg the app's socket
 * (src/storage/pg-socket.ts: one write per query), so the ratio can be read both ways.
 * Usage: DATABASE_URL=… node --import tsx bench/raw-baseline.ts --clients 32 --seconds 20 [--coalesce]
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { coalescingStream } from '../src/storage/pg-socket.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '20' },
    coalesce: { type: 'boolean', default: false },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const clients = Number(values.clients);
const pool = new pg.Pool({ connectionString: url, max: clients, ...(values.coalesce ? { stream: coalescingStream } : {}) });
const tag = Date.now().toString(36).slice(-5).toUpperCase();
const {
  rows: [setup],
} = await pool.query<{ user_id: string; area_id: string }>(
  `select (select id from users order by id limit 1) user_id, (select id from areas order by position limit 1) area_id`,
);
const latencies: number[] = [];

async function newParent(c: pg.PoolClient, worker: number, n: number): Promise<string> {
  const code = `RAWP${tag}${worker}N${n}`;
  await c.query(
    `insert into bags (code, type, kind_id, area_id, status, capacity, created_by) values ($1, 'parent', 'SB', $2, 'pending', 30, $3)`,
    [code, setup!.area_id, setup!.user_id],
  );
  return code;
}

async function childScan(c: pg.PoolClient, parentCode: string, childCode: string): Promise<boolean> {
  const scanId = randomUUID();
  // the parent and the child read in one snapshot, no locks (named: prepared once per connection)
  const read = await c.query({
    name: 'raw_read',
    text: `select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code, b.xmin::text as version, true as is_parent
           from bags b where b.code = $1
           union all
           select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code, b.xmin::text, false from bags b where b.code = $2`,
    values: [parentCode, childCode],
  });
  const parent = read.rows.find((r) => r.is_parent);
  // everything written in one autocommitted call, if the parent is unchanged (migrations/0016_scan_writes.sql)
  const details = JSON.stringify({ childCount: parent.child_count + 1, capacity: parent.capacity, scanId });
  const linked = await c.query({
    name: 'raw_link',
    text: `select link_child_if_unchanged($1, $2, null, null, $3, 'CHILD', now(), $4, 'raw', 'scan.child', 'linked', $3, $5, $6,
             '127.0.0.1', 'raw', null, $7, $4, $8, 'scan.child', 'linked', $9) as result`,
    values: [
      parent.id,
      parent.version,
      childCode,
      setup!.user_id,
      parentCode,
      parent.area_id,
      details,
      scanId,
      JSON.stringify({ ok: true }),
    ],
  });
  if (!linked.rows[0].result.startsWith('done')) throw new Error(`raw scan of ${childCode}: ${linked.rows[0].result}`);
  return parent.child_count + 1 >= parent.capacity;
}

const end = performance.now() + Number(values.seconds) * 1000;
await Promise.all(
  Array.from({ length: clients }, async (_, w) => {
    const c = await pool.connect();
    try {
      let n = 0;
      let parent = await newParent(c, w, n);
      let seq = 0;
      while (performance.now() < end) {
        const t = performance.now();
        const full = await childScan(c, parent, `RAWC${tag}${w}X${seq++}`);
        latencies.push(performance.now() - t);
        if (full) parent = await newParent(c, w, ++n);
      }
    } finally {
      c.release();
    }
  }),
);
await pool.end();
latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round(latencies[Math.ceil(p * latencies.length) - 1]! * 100) / 100;
console.log(
  JSON.stringify({
    coalesce: values.coalesce,
    clients,
    seconds: Number(values.seconds),
    childScans: latencies.length,
    perSecond: Math.round(latencies.length / Number(values.seconds)),
    p50: q(0.5),
    p99: q(0.99),
  }),
);
