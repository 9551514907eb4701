/**
 * Soak (issue 12): the paced shift for a long time against an already seeded PostgreSQL
 * database, sampling once a minute the server's RSS and heap, event-loop delay (p50/p99/max of
 * that minute), pool use, and each table's size; writes a CSV (bench/soak-plot.ts draws it).
 *   DATABASE_URL=postgres://…/tt_soak node --import tsx bench/soak.ts --minutes 30 --users 100 \
 *     --known bench/.data/known-codes.json --out docs/soak.csv
 * One worker (WORKERS=1), so every sample is the one process that served the whole load.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: a } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    users: { type: 'string', default: '100' },
    known: { type: 'string', default: 'bench/.data/known-codes.json' },
    out: { type: 'string', default: 'bench/.data/soak.csv' },
    'sample-seconds': { type: 'string', default: '60' },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the seeded database');
const minutes = Number(a.minutes);
const sampleMs = Number(a['sample-seconds']) * 1000;
const token = 'soak-metrics-token-0123456789';

const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    WORKERS: '1',
    LOG_LEVEL: 'warn',
    METRICS_TOKEN: token,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    SESSION_SECRET: process.env.SESSION_SECRET ?? 'soak-secret-soak-secret-soak-secret-0000',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stopServer = () => server.exitCode === null && server.kill('SIGTERM');
process.on('exit', stopServer);
for (let i = 0; ; i++) {
  if (server.exitCode !== null || i > 240) throw new Error('server did not start');
  if (
    await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  await new Promise((r) => setTimeout(r, 500));
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const tables = (await client.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' order by 1`)).rows.map(
  (r) => r.t,
);

function metric(text: string, name: string, label?: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name) && (label ? l.includes(label) : /^[a-z0-9_]+ /.test(l)));
  return line ? Number(line.trim().split(/\s+/).pop()) : NaN;
}

const header = [
  'minute',
  'rss_mb',
  'heap_used_mb',
  'loop_p50_ms',
  'loop_p99_ms',
  'loop_max_ms',
  'pool_total',
  'pool_in_use',
  'pool_waiting',
  ...tables.map((t) => `${t}_kb`),
  ...tables.map((t) => `${t}_rows`),
];
fs.writeFileSync(a.out!, `${header.join(',')}\n`);
const started = Date.now();
async function sample() {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const sizes = await client.query<{ t: string; kb: string; rows: string }>(
    `select c.relname as t, pg_total_relation_size(c.oid) / 1024 as kb, coalesce(s.n_live_tup, 0) as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace left join pg_stat_user_tables s on s.relid = c.oid
      where n.nspname = 'public' and c.relkind = 'r'`,
  );
  const by = new Map(sizes.rows.map((r) => [r.t, r]));
  const total = metric(text, 'db_pool_connections', 'state="total"');
  const row = [
    ((Date.now() - started) / 60_000).toFixed(2),
    (metric(text, 'process_resident_memory_bytes') / 1048576).toFixed(1),
    (metric(text, 'nodejs_heap_size_used_bytes') / 1048576).toFixed(1),
    (metric(text, 'nodejs_eventloop_lag_p50_seconds') * 1000).toFixed(2),
    (metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000).toFixed(2),
    (metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000).toFixed(2),
    total,
    total - metric(text, 'db_pool_connections', 'state="idle"'),
    metric(text, 'db_pool_connections', 'state="waiting"'),
    ...tables.map((t) => by.get(t)?.kb ?? ''),
    ...tables.map((t) => by.get(t)?.rows ?? ''),
  ];
  fs.appendFileSync(a.out!, `${row.join(',')}\n`);
  console.log(`soak ${row[0]} min: rss ${row[1]} MB, loop p99 ${row[4]} ms, pool ${row[7]}/${row[6]} in use, ${row[8]} waiting`);
}

await client.query('vacuum analyze').catch(() => {});
const load = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'bench/load/main.ts',
    '--url',
    base,
    '--mode',
    'paced',
    '--users',
    a.users!,
    '--rate',
    '1',
    '--seconds',
    String(minutes * 60),
    '--known',
    a.known!,
    '--out',
    a.out!.replace(/\.csv$/, '-load.json'),
  ],
  { stdio: 'inherit' },
);
const loadDone = new Promise<number | null>((r) => load.on('exit', r));
// A paced user whose requests fall behind keeps sending until its schedule is caught up; on a
// saturated machine that is hours, so the soak ends at its time whatever the load's backlog.
const hardStop = setTimeout(() => load.kill('SIGTERM'), (minutes * 60 + 60) * 1000);
await sample();
const timer = setInterval(() => void sample().catch((err: unknown) => console.error('sample failed', err)), sampleMs);
const code = await loadDone;
clearInterval(timer);
clearTimeout(hardStop);
await sample();
await client.end();
stopServer();
console.log(`soak done: load exit ${code}; CSV in ${a.out}`);
process.exit(code ?? 1);
