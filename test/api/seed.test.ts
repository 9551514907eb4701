/** `tracetrack seed`: realistic data, set-based, whose counters agree with a recount. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { useTestApp } from '../helpers/setup.js';
import { Client } from '../helpers/http.js';
import { seedCommand } from '../../src/commands/seed.command.js';
import { runChecks } from '../../src/domain/check/check.service.js';

const t = useTestApp({ perFile: true });

test('seed fills an empty database with every kind of bag, bills in all statuses, and consistent counters', async () => {
  const lines: string[] = [];
  assert.equal(await seedCommand(t.app.ctx, ['--bags', '3000', '--users', '30', '--password', 'seeded-pass-123'], (l) => lines.push(l)), 0);
  assert.match(lines.join('\n'), /Seeded \d+ parents/);
  const db = t.app.ctx.db;
  const bags = await sql<{ type: string; status: string; kind_id: string | null; n: string }>`
    select type, status, kind_id, count(*) n from bags group by 1, 2, 3`.execute(db);
  const has = (f: (r: { type: string; status: string; kind_id: string | null }) => boolean) => bags.rows.some(f);
  assert.ok(
    has((r) => r.kind_id === 'SB' && r.status === 'completed'),
    'full SB parents',
  );
  assert.ok(
    has((r) => r.kind_id === 'M444' && r.status === 'pending'),
    'partly filled M444 parents',
  );
  assert.ok(
    has((r) => r.type === 'child' && r.status === 'unlinked'),
    'loose children',
  );
  assert.ok(
    has((r) => r.kind_id === null),
    'legacy codes',
  );
  const total = bags.rows.reduce((n, r) => n + Number(r.n), 0);
  assert.ok(Math.abs(total - 3000) <= 30, `about 3000 bags, got ${total}`);
  const bills = await sql<{ status: string }>`select distinct status from bills`.execute(db);
  assert.deepEqual(bills.rows.map((r) => r.status).sort(), ['completed', 'new', 'processing']);
  const events = await sql<{ n: string }>`select count(*) n from events`.execute(db);
  assert.ok(Number(events.rows[0]!.n) >= 4000, 'about 1.5 history rows a bag');

  // The bills' counter triggers ran once a row; the seed leaves their table compact, its live rows in the first
  // items of its first page with no dead versions among them (a dashboard read scans all of it).
  const packed = await sql<{ n: number; last_page: number; last_item: number }>`
    select count(*)::int n, max((ctid::text::point)[0])::int last_page, max((ctid::text::point)[1])::int last_item
      from stat_bill_counters`.execute(db);
  assert.deepEqual(packed.rows[0], { n: packed.rows[0]!.n, last_page: 0, last_item: packed.rows[0]!.n });
  assert.ok(packed.rows[0]!.n > 0, 'the bills are counted');

  const results = await runChecks(t.app.ctx);
  assert.ok(results.length >= 3);
  for (const r of results) assert.deepEqual(r.differences, [], `${r.check} agrees with a recount`);

  const login = await new Client(t.app).login('bench_user_1', 'seeded-pass-123');
  assert.equal(login.statusCode, 200, 'seeded users can log in');
  assert.equal(login.json().user.role, 'biller');

  const again: string[] = [];
  assert.equal(await seedCommand(t.app.ctx, ['--bags', '3000'], (l) => again.push(l)), 1);
  assert.match(again.join(''), /already holds bags/);
  await assert.rejects(seedCommand(t.app.ctx, ['--bags', '5']), /--bags must be/);
});
