/**
 * The bench database as ceiling.ts and shift.ts need it: seeded once (bench/seed.ts migrates an
 * empty database first), the minimal write set's own tables (schema bench_min, parents 1…200,
 * one per pgbench client) and the PGBP parents of pgbench/app-child-scan*.sql, then vacuumed and
 * analysed (autovacuum may be off on a bench machine). Every run adds rows (a ceiling run ~0.5M
 * bags), and nothing takes them out: it prints the data the run is about to measure, and says so
 * when that is well over, or under, the size the bench is for.
 */
import type pg from 'pg';
import { run } from './app-run.js';

export async function prepareBenchDatabase(db: pg.Client, seedBags: string): Promise<void> {
  const hasUsers = (await db.query(`select to_regclass('users') is not null as ok`)).rows[0].ok as boolean;
  const seeded = hasUsers && (await db.query(`select count(*)::int n from users where username = 'bench_user_1'`)).rows[0].n > 0;
  if (!seeded) {
    console.log(`seeding ${seedBags} bags (once)…`);
    await run('node', ['--import', 'tsx', 'bench/seed.ts', '--bags', seedBags], { stdio: 'inherit' });
  }
  await db.query(`
    create schema if not exists bench_min;
    create table if not exists bench_min.bags (id bigserial primary key, code text not null, type text not null, parent_id bigint,
      status text not null, child_count int not null default 0, capacity int, created_at timestamptz not null default now());
    create table if not exists bench_min.events (id bigserial primary key, at timestamptz not null default now(), actor_id bigint,
      action text not null, outcome text not null, subject text, related text, details jsonb);
    insert into bench_min.bags (id, code, type, status, capacity)
      select i, 'MINP' || i, 'parent', 'pending', 2000000000 from generate_series(1, 200) i on conflict do nothing;
    select setval('bench_min.bags_id_seq', greatest(200, (select max(id) from bench_min.bags)));
    insert into bags (code, type, kind_id, area_id, status, capacity, created_by)
      select 'PGBP' || i, 'parent', 'SB', (select id from areas order by position limit 1), 'pending', 2000000000, 1
      from generate_series(0, 199) i on conflict (code) do nothing;`);
  console.log('vacuum analyze…');
  await db.query('vacuum analyze');
  const size = await db.query<{ bags: number; events: number }>(
    `select (select reltuples::bigint from pg_class where oid = 'bags'::regclass)::float8 as bags,
            (select reltuples::bigint from pg_class where oid = 'events'::regclass)::float8 as events`,
  );
  console.log(dataNote(size.rows[0]!.bags, size.rows[0]!.events, Number(seedBags)));
}

/** A database over this share of the size a bench is for (its --seed-bags) was grown by earlier runs. */
export const GROWN_SHARE = 1.25;
/**
 * Under this share it was seeded with fewer. The count is the analyser's estimate (reltuples,
 * from a sample), which read a little under a fresh seed's true count: 1,998,844 for 2,000,200.
 */
export const SAMPLED_SHARE = 0.98;

/** The data line a bench prints before it measures: bags and history rows as analysed, against the size it is for. */
export function dataNote(bags: number, events: number, seedBags: number): string {
  const line = `data: ${millions(bags)} bags, ${millions(events)} history rows (the bench is for ${millions(seedBags)} bags)`;
  const again = 'drop the database and run again to seed it afresh';
  if (bags > seedBags * GROWN_SHARE) return `${line} — grown by earlier runs, so this run does not measure that size; ${again}`;
  if (bags < seedBags * SAMPLED_SHARE) return `${line} — seeded with fewer, so this run does not measure that size; ${again}`;
  return line;
}
const millions = (n: number) => `${(n / 1e6).toFixed(2)}M`;
