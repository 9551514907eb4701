/**
 * Serial latency of the look-up endpoints on a seeded database (bench/seed.ts), through the
 * whole app (routing, auth, schemas, serialisation) with app.inject — one request at a time,
 * so these are per-request costs, not figures under load (bench/load measures those).
 *   DATABASE_URL=… SESSION_SECRET=… node --import tsx bench/lookups.ts [--rounds 300]
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { systemSource } from '../src/domain/audit/event.js';
import { createUser } from '../src/domain/users/users.service.js';
import { openConfiguredDatabase } from '../src/runtime.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '300' } } });
const rounds = Number(values.rounds);
const config = { ...loadConfig(), logLevel: 'silent' as const };
const database = await openConfiguredDatabase(config);
const app = await buildApp({ config, database, logger: false });

async function session(role: 'admin' | 'dispatcher'): Promise<string> {
  const username = `bench_lookup_${role}`;
  const password = 'bench-lookup-pass-1';
  await createUser(app.ctx, systemSource, { username, password, role, areaId: role === 'dispatcher' ? 'indore' : null, email: null }).catch(
    () => {},
  );
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

const pick = async (q: string) => (await sql<{ code: string }>`${sql.raw(q)}`.execute(database.db)).rows[0]!.code;
const full = await pick(
  `select code from bags where type = 'parent' and child_count = capacity and area_id = 'indore' limit 1 offset 1000`,
);
const child = await pick(`select code from bags where type = 'child' and parent_id is not null and area_id = 'indore' limit 1 offset 5000`);
// A code whose first eight characters start no indore code: a dispatcher there gets no prefix suggestions.
const elsewhere = await pick(`select b.code from bags b where b.type = 'child' and b.area_id = 'lucknow' and not exists (
  select 1 from bags x where x.area_id = 'indore' and x.code ~>=~ left(b.code, -2) and x.code ~<~ (left(b.code, -2) || '~')
) order by b.id limit 1 offset 5000`);
const cookies = { admin: await session('admin'), dispatcher: await session('dispatcher') };
const deep = await (async () => {
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    const r = await app.inject({ url: `/api/bags?limit=200${cursor}`, headers: { cookie: cookies.admin } });
    cursor = `&cursor=${encodeURIComponent(r.json().nextCursor)}`;
  }
  return cursor; // 20,000 rows deep
})();

const cases: Array<[string, 'admin' | 'dispatcher', string]> = [
  ['dashboard stats (admin, per area)', 'admin', '/api/dashboard/stats'],
  ['dashboard stats (dispatcher)', 'dispatcher', '/api/dashboard/stats'],
  ['recent scans (20)', 'admin', '/api/scans/recent'],
  ['search exact bag', 'admin', `/api/search?q=${encodeURIComponent(child.toLowerCase())}`],
  ['search prefix SB012', 'admin', '/api/search?q=SB012'],
  ['search contains GODARA', 'admin', '/api/search?q=GODARA'],
  ['search contains 0012345', 'admin', '/api/search?q=0012345'],
  ['search contains 000 (a million codes; times out)', 'admin', '/api/search?q=000'],
  ['search dispatcher prefix C00001', 'dispatcher', '/api/search?q=C00001'],
  // The load generator's half of searches: a known code cut by two characters.
  ['search cut code (admin: prefix fills, bill contains)', 'admin', `/api/search?q=${encodeURIComponent(child.slice(0, -2))}`],
  ["search cut code of another area's bag (dispatcher)", 'dispatcher', `/api/search?q=${encodeURIComponent(elsewhere.slice(0, -2))}`],
  ['bag page parent (30 children)', 'admin', `/api/bags/${encodeURIComponent(full)}`],
  ['bag page child', 'dispatcher', `/api/bags/${encodeURIComponent(child)}`],
  ['bag list first page (50)', 'admin', '/api/bags'],
  ['bag list dispatcher parents', 'dispatcher', '/api/bags?type=parent'],
  ['bag list 20,000 rows deep', 'admin', `/api/bags?limit=200${deep}`],
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(`| request | p50 ms | p99 ms | max ms |\n|---|---|---|---|`);
for (const [name, who, url] of cases) {
  const times: number[] = [];
  for (let i = 0; i < rounds + 20; i++) {
    const t0 = performance.now();
    const res = await app.inject({ url, headers: { cookie: cookies[who] } });
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    if (i >= 20) times.push(performance.now() - t0); // the first 20 warm caches and plans
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${pct(times, 50).toFixed(2)} | ${pct(times, 99).toFixed(2)} | ${times.at(-1)!.toFixed(2)} |`);
}
await app.close();
await database.close();
