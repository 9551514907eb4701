/**
 * The ceiling: the statements of one child scan (docs/scanning.md) sent straight through `pg`
 * by N concurrent clients, no HTTP, no app. Compare with `bench/load/main.ts --mode closed`
 * at the same concurrency: app throughput / raw throughput.
 * Usage: DATABASE_URL=… node --import tsx bench/raw-baseline.ts --clients 32 --seconds 20
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '32' }, seconds: { type: 'string', default: '20' } } });
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const clients = Number(values.clients);
const pool = new pg.Pool({ connectionString: url, max: clients });
const tag = Date.now().toString(36).slice(-5).toUpperCase();
const { rows: [setup] } = await pool.query<{ user_id: string; area_id: string }>(
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
    await c.query('select * from bag_kinds order by position, id');
    const p = await c.query(`select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code from bags b where b.code = $1 for update of b`, [parentCode]);
    const parent = p.rows[0];
    await c.query(`select b.*, (select p.code from bags p where p.id = b.parent_id) parent_code from bags b where b.code = $1`, [childCode]);
    await c.query(
      `insert into bags (code, type, kind_id, area_id, status, parent_id, linked_by, linked_at, created_by) values ($1, 'child', 'CHILD', $2, 'linked', $3, $4, now(), $4) on conflict (code) do nothing returning *`,
      [childCode, parent.area_id, parent.id, setup!.user_id],
    );
    const u = await c.query(
      `update bags set child_count = child_count + 1, status = case when child_count + 1 >= capacity then 'completed' else status end, updated_at = now() where id = $1 returning status`,
      [parent.id],
    );
    // the history row and the scanId claim with its answer: one statement, last (as the app does)
    await c.query(
      `with history as (insert into events (actor_id, actor_name, action, outcome, subject, related, area_id, ip, station, details)
         values ($1, 'raw', 'scan.child', 'linked', $2, $3, $4, '127.0.0.1', 'raw', $6))
       insert into scan_requests (user_id, scan_id, endpoint, created_at, outcome, response) values ($1, $5, 'scan.child', now(), 'linked', $6)
       on conflict (user_id, scan_id) do nothing returning scan_id`,
      [setup!.user_id, childCode, parentCode, parent.area_id, scanId, JSON.stringify({ ok: true })],
    );
    await c.query('commit');
    return u.rows[0].status === 'completed';
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
console.log(JSON.stringify({ clients, seconds: Number(values.seconds), childScans: latencies.length, perSecond: Math.round(latencies.length / Number(values.seconds)), p50: q(0.5), p99: q(0.99) }));
