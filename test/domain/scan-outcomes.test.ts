import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ACCEPTED_SCAN_OUTCOMES, SCAN_ACTIONS } from '../../src/domain/scans/scan-outcomes.js';
import { COUNTED_SCANS } from '../../src/storage/dashboard.repository.js';
import { Kysely, PostgresDialect } from 'kysely';

/** The quoted words of `column in ('a', 'b', …)` in a piece of SQL. */
const listed = (text: string, column: string) => {
  const m = text.match(new RegExp(`${column}"? in \\(([^)]*)\\)`));
  assert.ok(m, `no "${column} in (…)" in ${text.slice(0, 200)}`);
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]);
};

test('the counting trigger of migration 0005 counts exactly ACCEPTED_SCAN_OUTCOMES', () => {
  const migration = fs.readFileSync('migrations/0005_dashboard.sql', 'utf8');
  const fn = migration.slice(
    migration.indexOf('create function stat_events_inserted'),
    migration.indexOf('create function stat_bills_changed'),
  );
  assert.deepEqual(listed(fn, 'e.outcome'), [...ACCEPTED_SCAN_OUTCOMES]);
  assert.deepEqual(listed(fn, 'e.action'), [...SCAN_ACTIONS]);
});

test('the dashboard recount uses the same outcomes (one list, not a copy)', () => {
  const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: {} as never }) });
  const text = COUNTED_SCANS.compile(db).sql;
  assert.deepEqual(listed(text, 'outcome'), [...ACCEPTED_SCAN_OUTCOMES]);
  assert.deepEqual(listed(text, 'action'), [...SCAN_ACTIONS]);
  assert.ok(!ACCEPTED_SCAN_OUTCOMES.includes('already_linked_other_parent' as never), 'a refusal is never accepted');
});
