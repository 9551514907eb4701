/**
 * `tracetrack seed --bags N [--users N] [--password PW]`: demo or benchmark data, set-based
 * (storage/seed*.ts). Refuses a database that already holds bags, so it never mixes with real data.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Ctx } from '../domain/context.js';
import { runSeed } from '../storage/seed.js';

export const SEED_USAGE = `  seed --bags N [--users N] [--password PW] fill an EMPTY database with demo data: N bags, bills, history,
                                            users bench_user_1… (billers) and bench_disp_1… (dispatchers)`;

export async function seedCommand(ctx: Ctx, args: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      bags: { type: 'string', default: '20000' },
      users: { type: 'string', default: '300' },
      password: { type: 'string', default: 'bench-password-2026' },
    },
  });
  const bags = Number(values.bags);
  const users = Number(values.users);
  if (!Number.isInteger(bags) || bags < 100 || bags > 5_000_000) throw new RangeError('--bags must be a whole number from 100 to 5000000');
  if (!Number.isInteger(users) || users < 1 || users > 10_000) throw new RangeError('--users must be a whole number from 1 to 10000');
  const existing = await sql<{ n: string }>`select count(*) n from (select 1 from bags limit 1) b`.execute(ctx.db);
  if (Number(existing.rows[0]!.n) > 0) {
    print('Refused: this database already holds bags; seed only an empty one.');
    return 1;
  }
  const started = performance.now();
  const { counts } = await runSeed(ctx.db, { bags, users, password: values.password! });
  print(
    `Seeded ${counts.parents} parents, ${counts.children} children, ${counts.legacy} legacy codes, ${counts.bills} bills, ` +
      `${counts.users} users in ${((performance.now() - started) / 1000).toFixed(1)} s. Users' password: ${values.password}`,
  );
  return 0;
}
