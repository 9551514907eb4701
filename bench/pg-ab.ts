/**
 * A/B of a database change on the app's child-scan SQL (issue 14): sets state A or B with a SQL
 * script, runs `pgbench -M prepared` of pgbench/app-child-scan.sql, and alternates A, B, B, A, …
 * for --pairs pairs, so drift on the machine falls on both alike. Each run reports scans/s and
 * PostgreSQL CPU per scan: utime+stime of every process of the cluster (backends, WAL writer,
 * checkpointer…), the exited backends through the postmaster's reaped-children fields. Then the
 * mean of each side, its spread, and B − A with a rough 95% interval; an interval that holds 0
 * shows no difference (ab-stats.ts). Run bench/ceiling.sh once first (it seeds and makes the PGBP parents).
 *   DATABASE_URL=… node --import tsx bench/pg-ab.ts --a 'alter table …' --b 'alter table …' [--pairs 5] [--seconds 10] [--clients 8]
 * State A is set again at the end. Two scripts instead of two states: --a-file / --b-file (a
 * script of bench/pgbench/ each, the default app-child-scan.sql) with --a-scans / --b-scans, the
 * child scans one of its transactions makes (default 1), so a batched script is judged per scan;
 * --a and --b may then be '' (no state to set).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { childrenByParent, cpuTicks, reapedTicks, TICK } from './proc.js';
import { pgbenchCommand } from './pgbench/args.js';
import { compare, sidesOfPair } from './ab-stats.js';
import { run } from './app-run.js';

const { values: a } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    pairs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    'a-file': { type: 'string', default: 'bench/pgbench/app-child-scan.sql' },
    'b-file': { type: 'string', default: 'bench/pgbench/app-child-scan.sql' },
    'a-scans': { type: 'string', default: '1' },
    'b-scans': { type: 'string', default: '1' },
  },
});
const url = process.env.DATABASE_URL;
if (!url || a.a === undefined || a.b === undefined) throw new Error('usage: DATABASE_URL=… bench/pg-ab.ts --a SQL --b SQL');
const db = new pg.Client({ connectionString: url });
await db.connect();
const dataDir = (await db.query('show data_directory')).rows[0].data_directory as string;
const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);

/** The cluster's CPU ticks so far: its processes' own, plus what exited backends left the postmaster. */
function clusterTicks(): number {
  let t = (cpuTicks(postmaster) ?? 0) + reapedTicks(postmaster);
  for (const pid of childrenByParent().get(postmaster) ?? []) t += cpuTicks(pid) ?? 0;
  return t;
}

/** Transactions pgbench made of `file`. */
async function pgbench(file: string): Promise<number> {
  const { args, env } = pgbenchCommand(url!, {
    clients: Number(a.clients),
    seconds: Number(a.seconds),
    mode: 'prepared',
    file,
  });
  const out = await run('pgbench', args, { env });
  const n = out.match(/number of transactions actually processed: (\d+)/);
  if (!n) throw new Error(`pgbench: ${out}`);
  return Number(n[1]);
}

async function once(side: 'A' | 'B'): Promise<{ perSecond: number; pgMs: number }> {
  await db.query(side === 'A' ? a.a! : a.b!);
  const t0 = clusterTicks();
  const n = (await pgbench(side === 'A' ? a['a-file']! : a['b-file']!)) * Number(side === 'A' ? a['a-scans'] : a['b-scans']);
  await new Promise((r) => setTimeout(r, 300)); // the last backends exit and are reaped
  const ms = ((clusterTicks() - t0) * 1000) / TICK;
  return { perSecond: n / Number(a.seconds), pgMs: ms / n };
}

const runs: Record<'A' | 'B', number[]> = { A: [], B: [] };
for (let i = 0; i < Number(a.pairs); i++) {
  for (const side of sidesOfPair(i)) {
    const r = await once(side);
    runs[side].push(r.pgMs);
    console.log(`pair ${i + 1} ${side}: ${Math.round(r.perSecond)} scans/s, PostgreSQL ${r.pgMs.toFixed(3)} ms per scan`);
  }
}
await db.query(a.a!);
await db.end();

console.log(compare('PostgreSQL CPU per scan', 'ms', runs.A, runs.B).join('\n'));
