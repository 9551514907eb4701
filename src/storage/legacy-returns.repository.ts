/**
 * The old system's return tickets (return_ticket, return_ticket_bag, bill_return_event: staged as
 * lg_ticket, lg_ticket_bag, lg_bill_return) mapped onto ours (SPEC §11, migrations/0010), inside
 * the import's one transaction, after users, bags, bills and bill links (legacy-import.repository.ts,
 * whose lg_*_map tables this reads). Same shape as the other steps: reasons first, then the copy.
 *
 * - A ticket keeps its code, status, C&F location (an area), notes, creator and times; it is
 *   matched by code, so a second run copies nothing twice.
 * - Each of its bags becomes a return_ticket_bags row in the ticket's state (open, committed,
 *   cancelled) with the figures the old system kept: the parent's children and weight at return,
 *   and the bill's counts and weights before and after from its bill_return_event row. The old
 *   event has no expected weights: they are the linked counts × the parent's expected weight
 *   (exact for a bill of one bag kind).
 * - A bag of a cancelled ticket is back on its bill if it is on that bill now, else left unbilled.
 * - Ticket counters count the copied bags (none on a cancelled ticket), as `tracetrack check` does.
 */
import { sql } from 'kysely';
import type { Tx } from './database.js';
import { affected, skipped, type StepResult } from './legacy-import.repository.js';

export const TICKET_PATTERN = '^RTN-[0-9]{8}-[0-9A-F]{4}$';

/** Reasons a ticket or one of its bags is not copied (the skip column of lg_ticket / lg_ticket_bag). */
async function decide(tx: Tx): Promise<void> {
  await sql`alter table lg_ticket add column skip text, add column code text, add column area text`.execute(tx);
  await sql`update lg_ticket set code = upper(btrim(ticket_code)), status = lower(btrim(status))`.execute(tx);
  await sql`update lg_ticket t set area = coalesce(
      (select a.id from areas a where a.id = lower(btrim(t.cf_location))),
      (select a.id from areas a where lower(a.name) = lower(btrim(t.cf_location))),
      (select a.id from areas a where a.id = btrim(regexp_replace(lower(t.cf_location), '[^a-z0-9]+', '_', 'g'), '_')))`.execute(tx);
  await sql`update lg_ticket t set skip = case
      when exists (select 1 from return_tickets x where x.code = t.code) then 'already imported (same ticket code)'
      when t.code is null or t.code !~ ${TICKET_PATTERN} then 'ticket code not RTN-YYYYMMDD-XXXX'
      when t.status is null or t.status not in ('open', 'committed', 'cancelled') then 'status ' || coalesce(t.status, 'none') || ' unknown'
      when t.area is null then 'C&F location ' || coalesce(t.cf_location, 'none') || ' is not an area here'
      when exists (select 1 from lg_ticket o where o.code = t.code and o.id < t.id) then 'duplicate ticket code (case)'
    end`.execute(tx);

  await sql`alter table lg_ticket_bag add column skip text, add column new_bag bigint, add column event_id int`.execute(tx);
  await sql`update lg_ticket_bag rb set new_bag = m.new_id from lg_bag_map m where m.old_id = rb.bag_id and m.type = 'parent'`.execute(tx);
  // The old bill_return_event of this return (the latest, if several), while its bill exists.
  await sql`update lg_ticket_bag rb set event_id = (select max(e.id) from lg_bill_return e join lg_bill lb on lb.id = e.bill_id
      where e.return_ticket_id = rb.return_ticket_id and e.bag_id = rb.bag_id)`.execute(tx);
  await sql`update lg_ticket_bag rb set skip = case
      when t.id is null then 'ticket no longer in the old database'
      when t.skip like 'already imported%' then 'already imported (same ticket)'
      when t.skip is not null then 'ticket not copied'
      when not exists (select 1 from lg_bag_map m where m.old_id = rb.bag_id) then 'bag not imported'
      when rb.new_bag is null then 'not a parent bag'
      when rb.event_id is null then 'no bill_return_event row: the bill and its figures are unknown'
      when t.status = 'open' and exists (select 1 from bags b where b.id = rb.new_bag and b.bill_id is not null) then 'on an open ticket but also on a bill'
      when t.status = 'open' and exists (select 1 from return_ticket_bags x where x.bag_id = rb.new_bag and x.state = 'open') then 'already on an open ticket here'
      when t.status = 'open' and exists (select 1 from lg_ticket_bag o join lg_ticket ot on ot.id = o.return_ticket_id
        where o.bag_id = rb.bag_id and ot.status = 'open' and o.id < rb.id) then 'parent on two open tickets (older kept)'
    end
    from lg_ticket_bag rb2 left join lg_ticket t on t.id = rb2.return_ticket_id
    where rb2.id = rb.id`.execute(tx);
  // Our committed tickets hold at least one bag (0010); an old one whose bags all stay out does not come.
  await sql`update lg_ticket t set skip = 'committed, but none of its bags could be copied'
    where t.skip is null and t.status = 'committed' and not exists (select 1 from lg_ticket_bag rb where rb.return_ticket_id = t.id and rb.skip is null)`.execute(
    tx,
  );
  await sql`update lg_ticket_bag rb set skip = 'ticket not copied'
    from lg_ticket t where t.id = rb.return_ticket_id and rb.skip is null and t.skip is not null`.execute(tx);
}

/** The copied bags with what they carry onto our ticket (unit: the first child kind's weight, as childUnitKg). */
const COPIED_BAGS = sql`
  select rb.id, rb.return_ticket_id, rb.new_bag, t.status as ticket_status, coalesce(u.kg, 1) as unit_kg,
    coalesce(rb.child_count_at_return, b.child_count) as child_count,
    coalesce(round(rb.weight_at_return_kg)::int, coalesce(rb.child_count_at_return, b.child_count) * coalesce(u.kg, 1)) as weight_kg
  from lg_ticket_bag rb join lg_ticket t on t.id = rb.return_ticket_id join bags b on b.id = rb.new_bag
  left join lateral (select k.expected_weight_kg as kg from bag_kinds k where k.type = 'child' order by k.position, k.id limit 1) u on true
  where rb.skip is null`;

export async function importReturnTickets(tx: Tx): Promise<{ tickets: StepResult; bags: StepResult }> {
  await decide(tx);
  const tickets =
    await sql`insert into return_tickets (code, status, area_id, notes, bag_count, child_count, weight_kg, created_by, created_at, closed_at)
    select t.code, t.status, t.area, left(nullif(btrim(t.notes), ''), 500),
      coalesce(c.bags, 0), coalesce(c.children, 0), coalesce(c.kg, 0), m.new_id,
      coalesce(t.created_at at time zone 'UTC', now()),
      case when t.status <> 'open' then coalesce(coalesce(t.finalized_at, t.updated_at, t.created_at) at time zone 'UTC', now()) end
    from lg_ticket t
    left join lg_user_map m on m.old_id = t.created_by_id
    left join (select x.return_ticket_id, count(*)::int as bags, sum(x.child_count)::int as children, sum(x.weight_kg)::int as kg
               from (${COPIED_BAGS}) x where x.ticket_status <> 'cancelled' group by x.return_ticket_id) c on c.return_ticket_id = t.id
    where t.skip is null order by t.id`.execute(tx);
  const bags =
    await sql`insert into return_ticket_bags (ticket_id, bag_id, state, original_bill_id, original_bill_code, child_count, weight_kg,
      bill_before, bill_after, added_by, added_at, put_back, ended_at)
    select rt.id, x.new_bag, x.ticket_status, bm.new_id, lb.code, x.child_count, x.weight_kg,
      jsonb_build_object('billId', lb.code, 'status', f.status, 'parentCount', e.previous_linked_count, 'childCount', coalesce(e.previous_child_count, 0),
        'actualWeightKg', round(e.previous_weight_kg)::int, 'expectedWeightKg', e.previous_linked_count * f.parent_kg),
      jsonb_build_object('billId', lb.code, 'status', f.status, 'parentCount', e.new_linked_count, 'childCount', coalesce(e.new_child_count, 0),
        'actualWeightKg', round(e.new_weight_kg)::int, 'expectedWeightKg', e.new_linked_count * f.parent_kg),
      um.new_id, coalesce(rb.scanned_at, e.removed_at, t.created_at) at time zone 'UTC',
      case when x.ticket_status = 'cancelled' then case when bm.new_id is not null and b.bill_id = bm.new_id then 'back_on_bill' else 'left_unbilled' end end,
      case when x.ticket_status = 'cancelled' then rt.closed_at end
    from (${COPIED_BAGS}) x
    join lg_ticket_bag rb on rb.id = x.id
    join lg_ticket t on t.id = rb.return_ticket_id
    join return_tickets rt on rt.code = t.code
    join lg_bill_return e on e.id = rb.event_id
    join lg_bill lb on lb.id = e.bill_id
    join bags b on b.id = x.new_bag
    left join lg_bill_map bm on bm.old_id = lb.id and (bm.skip is null or bm.skip like 'already imported%')
    left join lg_user_map um on um.old_id = rb.scanned_by_id
    cross join lateral (select
        case lower(lb.status) when 'new' then 'new' when 'completed' then 'completed' else 'processing' end as status,
        coalesce((select k.expected_weight_kg from bag_kinds k where k.id = b.kind_id), b.capacity * x.unit_kg) as parent_kg) f
    order by rb.id`.execute(tx);
  return {
    tickets: { copied: affected(tickets), skipped: await skipped(tx, 'lg_ticket') },
    bags: { copied: affected(bags), skipped: await skipped(tx, 'lg_ticket_bag') },
  };
}
