/**
 * Return ticket recount for `tracetrack check` (one set-based statement, one snapshot): each
 * ticket's bag, child and weight counters against the bags it holds (rows open or committed;
 * removed and cancelled rows left it). Fixing locks the tickets, then recounts.
 */
import { sql } from 'kysely';
import type { CounterDifference } from './check.repository.js';
import type { Executor, Tx } from './database.js';

/** A ticket's stored counters next to the recount of its bags. */
interface TicketRecount {
  code: string;
  bag_count: number;
  child_count: number;
  weight_kg: number;
  r_bags: string;
  r_children: string;
  r_kg: string;
}

const ticketRecount = sql<TicketRecount>`
  select t.code, t.bag_count, t.child_count, t.weight_kg,
         coalesce(x.bags, 0) as r_bags, coalesce(x.children, 0) as r_children, coalesce(x.kg, 0) as r_kg
  from return_tickets t
  left join (select ticket_id, count(*) as bags, sum(child_count) as children, sum(weight_kg) as kg
             from return_ticket_bags where state in ('open', 'committed') group by ticket_id) x on x.ticket_id = t.id`;

export async function ticketCounterDifferences(ex: Executor): Promise<CounterDifference[]> {
  const r = await sql<TicketRecount>`select * from (${ticketRecount}) y order by y.code`.execute(ex);
  const out: CounterDifference[] = [];
  for (const row of r.rows) {
    const pairs: Array<[string, number, number]> = [
      ['bagCount', row.bag_count, Number(row.r_bags)],
      ['childCount', row.child_count, Number(row.r_children)],
      ['weightKg', row.weight_kg, Number(row.r_kg)],
    ];
    for (const [field, stored, recounted] of pairs) if (stored !== recounted) out.push({ subject: row.code, field, stored, recounted });
  }
  return out;
}

export async function fixTicketCounters(tx: Tx, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.selectFrom('return_tickets').select('id').where('code', 'in', codes).orderBy('id').forNoKeyUpdate().execute();
  await sql`
    update return_tickets t set bag_count = y.r_bags::int, child_count = y.r_children::int, weight_kg = y.r_kg::int
    from (${ticketRecount}) y where y.code = t.code and t.code in (${sql.join(codes)})`.execute(tx);
}
