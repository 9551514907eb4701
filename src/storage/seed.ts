/** Runs the whole seed (bags, then bills) and samples codes for the load generator. */
import { sql } from 'kysely';
import { hashPassword } from '../domain/users/password.js';
import type { Db } from './database.js';
import { seedBags, type SeedCounts } from './seed.repository.js';
import { seedBills } from './seed-bills.repository.js';

export interface SeedResult {
  counts: SeedCounts & { bills: number };
  known: { parents: string[]; bags: string[]; bills: string[] };
}

export async function runSeed(db: Db, opts: { bags: number; users: number; password: string }): Promise<SeedResult> {
  const passwordHash = await hashPassword(opts.password);
  const counts = await seedBags(db, { bags: opts.bags, users: opts.users, passwordHash, days: 90 });
  const bills = await seedBills(db, opts.bags, 90);
  const sample = async (q: ReturnType<typeof sql<{ code: string }>>) => (await q.execute(db)).rows.map((r) => r.code);
  const known = {
    parents: await sample(
      sql<{
        code: string;
      }>`select code from bags where type = 'parent' and status = 'completed' and bill_id is null order by random() limit 2000`,
    ),
    bags: await sample(sql<{ code: string }>`select code from bags tablesample system (1) limit 2000`),
    bills: await sample(sql<{ code: string }>`select bill_id as code from bills tablesample system (5) limit 1000`),
  };
  // The bills add their own history (created, linked): count it all.
  const events = Number((await sql<{ n: string }>`select count(*) n from events`.execute(db)).rows[0]!.n);
  return { counts: { ...counts, events, bills }, known };
}
