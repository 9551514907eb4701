/**
 * The bench database as ceiling.ts and shift.ts need it: seeded once (bench/seed.ts migrates an
 * empty database first), the minimal write set's own tables (schema bench_min, parents 1…200,
 * one per pgbench client) and the PGBP parents of pgbench/app-child-scan*.sql, then vacuumed and
 * analysed (autovacuum may be off on a bench machine).
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
}
