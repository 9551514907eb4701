/**
 * Samples what PostgreSQL's backends are doing while a load runs, ten times a second, and
 * prints one line per second: how many were running, idle inside a transaction (waiting for the
 * app), and waiting on locks, light-weight locks or I/O (with the commonest wait event).
 * Lines up with the load generator's "seconds with most slow requests" by wall-clock time.
 *   DATABASE_URL=postgres://…/tt_bench node --import tsx bench/watch-pg.ts --seconds 180
 */
import pg from 'pg';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const client = new pg.Client({ connectionString: url, application_name: 'tt-watch' });
await client.connect();

const SAMPLE = `select state, coalesce(wait_event_type, '') as type, coalesce(wait_event, '') as event
  from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
    and application_name not in ('tt-watch', 'tracetrack-live') and backend_type = 'client backend'`;

const end = Date.now() + Number(a.seconds) * 1000;
let second = Math.floor(Date.now() / 1000);
let acc = new Map<string, number>();
let samples = 0;
const flush = () => {
  if (!samples) return;
  const avg = (k: string) => ((acc.get(k) ?? 0) / samples).toFixed(1).padStart(5);
  const events = [...acc.entries()].filter(([k]) => k.startsWith('ev:')).sort((x, y) => y[1] - x[1]);
  const top = events
    .slice(0, 3)
    .map(([k, v]) => `${k.slice(3)} ${(v / samples).toFixed(1)}`)
    .join(', ');
  const t = new Date(second * 1000).toISOString().slice(11, 19);
  console.log(
    `${t} running ${avg('active')} idle-in-tx ${avg('idle in transaction')} lock ${avg('Lock')} lwlock ${avg('LWLock')} io ${avg('IO')} | ${top}`,
  );
};
while (Date.now() < end) {
  const now = Math.floor(Date.now() / 1000);
  if (now !== second) {
    flush();
    second = now;
    acc = new Map();
    samples = 0;
  }
  const { rows } = await client.query<{ state: string; type: string; event: string }>(SAMPLE);
  samples++;
  for (const r of rows) {
    acc.set(r.state, (acc.get(r.state) ?? 0) + 1);
    if (r.type) acc.set(r.type, (acc.get(r.type) ?? 0) + 1);
    if (r.type && r.type !== 'Client') acc.set(`ev:${r.event}`, (acc.get(`ev:${r.event}`) ?? 0) + 1);
  }
  await new Promise((r) => setTimeout(r, 100));
}
flush();
await client.end();
