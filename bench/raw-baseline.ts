/**
 * The ceiling: the statements of one child scan (docs/scanning.md: begin, parent+child,
 * link+count, history+claim, commit) sent straight through `pg` by N concurrent clients, no
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
  await c.query('begin');
  try {
    // the parent locked and the child read, one statement
    const read = await c.query(
      `with parent as (select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code, true as locked from bags b where b.code = $1 for update of b)
       select * from parent
       union all
       select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code, false as locked from bags b where b.code = $2`,
      [parentCode, childCode],
    );
    const parent = read.rows.find((r) => r.locked);
    // the child created already linked and the parent counted, one statement
    const linked = await c.query(
      `with child as (insert into bags (code, type, kind_id, area_id, status, parent_id, linked_by, linked_at, created_by, created_at, updated_at)
                      values ($1, 'child', 'CHILD', $2, 'linked', $3, $4, now(), $4, now(), now()) on conflict (code) do nothing returning *),
            counted as (update bags set child_count = child_count + 1,
                          status = case when child_count + 1 >= capacity then 'completed' else status end,
                          completed_at = case when child_count + 1 >= capacity and status <> 'completed' then now() else completed_at end,
                          updated_at = now()
                        where id = $3 and exists (select child.id from child) returning child_count, status)
       select child.*, counted.child_count as parent_child_count, counted.status as parent_status from child, counted`,
      [childCode, parent.area_id, parent.id, setup!.user_id],
    );
    // the history row and the scanId claim with its answer: one statement, last (as the app does)
    await c.query(
      `with history as (insert into events (actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, details)
         values ($1, 'raw', 'scan.child', 'linked', $2, $3, $4, '127.0.0.1', 'raw', $6))
       insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response) values ($1, $5, 'scan.child', now(), 'linked', $6)
       on conflict (user_id, scan_id) do nothing returning scan_id`,
      [setup!.user_id, childCode, parentCode, parent.area_id, scanId, JSON.stringify({ ok: true, scanId })],
    );
    await c.query('commit');
    return linked.rows[0].parent_status === 'completed';
  } catch (err) {
    await c.query('rollback');
    throw err;
  }
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
