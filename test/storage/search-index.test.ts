/**
 * New codes wait in the contains-search index's pending list until a process merges it, in a
 * statement of its own (migrations/0019, storage/search-index.repository.ts,
 * domain/housekeeping/search-index-merges.ts, docs/decisions/0031): no scan has to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import { MERGE_LOCK, mergeSearchIndexPending } from '../../src/storage/search-index.repository.js';
import { bagsContaining, billsContaining } from '../../src/storage/search.repository.js';
import { usingPostgres } from '../helpers/database.js';
import { loginAs } from '../helpers/http.js';
import { createBill } from '../helpers/bills.js';
import { fill, scanParent } from '../helpers/scans.js';
import { useTestApp } from '../helpers/setup.js';

// Merges only when a test asks (the server's default is every second).
const t = useTestApp({ config: { searchIndexMergeMs: 0 } });

/** A new parent and `n` new children C<from>, C<from+1>…: new codes for the index's pending list. */
async function scanNewCodes(parent: string, n: number, from: number) {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'jaipur' });
  assert.equal((await scanParent(d, parent)).statusCode, 200);
  return fill(d, parent, n, 'C', from);
}

const codesContaining = async (q: string) => (await bagsContaining(t.app.ctx.db, q, null, 20)).map((b) => b.code);

/** An index's storage options (pg_class.reloptions), sorted; [] when it has none. */
async function optionsOf(index: string): Promise<string[]> {
  const { rows } = await sql<{ options: string[] | null }>`
    select reloptions as options from pg_class where relname = ${index}`.execute(t.app.ctx.db);
  return [...(rows[0]!.options ?? [])].sort();
}

test('the index keeps new codes in a pending list that scans only merge when nothing else has for a while', async () => {
  assert.deepEqual(await optionsOf('bags_code_trgm_idx'), ['fastupdate=on', 'gin_pending_list_limit=4096']);
});

test('a merge empties the pending list; contains search finds new codes before and after it', async () => {
  await mergeSearchIndexPending(t.app.ctx.db);
  assert.deepEqual(await scanNewCodes('SB55001', 3, 5500101), ['C5500101', 'C5500102', 'C5500103']);
  // Not merged yet: the search reads them from the pending list.
  assert.deepEqual(await codesContaining('550010'), ['C5500101', 'C5500102', 'C5500103']);
  assert.deepEqual(await codesContaining('55001'), ['C5500101', 'C5500102', 'C5500103', 'SB55001']);
  const merged = await mergeSearchIndexPending(t.app.ctx.db);
  assert.ok(merged !== null && merged >= 1, `the new codes' pending page was merged (${merged})`);
  assert.equal(await mergeSearchIndexPending(t.app.ctx.db), 0, 'nothing is left to merge');
  assert.deepEqual(await codesContaining('550010'), ['C5500101', 'C5500102', 'C5500103']);
});

test("bills' index has no pending list: a new bill's id is in the index itself, and found at once", async () => {
  assert.deepEqual(await optionsOf('bills_bill_id_trgm_idx'), ['fastupdate=off']);
  const biller = await loginAs(t.app, 'biller');
  assert.equal((await createBill(biller, 'TRK-PENDLESS-7', 2)).statusCode, 201);
  // With a pending list the new id's trigrams would be there, and this would merge a page of them.
  const { rows: merged } = await sql<{ pages: number }>`
    select gin_clean_pending_list('bills_bill_id_trgm_idx'::regclass) as pages`.execute(t.app.ctx.db);
  assert.equal(Number(merged[0]!.pages), 0);
  assert.deepEqual(
    (await billsContaining(t.app.ctx.lookups, 'PENDLESS', 10)).map((b) => b.billId),
    ['TRK-PENDLESS-7'],
  );
});

test('while another process merges, a merge skips instead of waiting', {
  skip: !usingPostgres && 'PostgreSQL only (one session in PGlite)',
}, async () => {
  const other = new pg.Client({ connectionString: t.database.url });
  await other.connect();
  try {
    await other.query('select pg_advisory_lock($1)', [MERGE_LOCK]);
    await scanNewCodes('SB55002', 1, 5500201);
    assert.equal(await mergeSearchIndexPending(t.app.ctx.db), null);
    await other.query('select pg_advisory_unlock($1)', [MERGE_LOCK]);
    assert.ok(((await mergeSearchIndexPending(t.app.ctx.db)) ?? 0) >= 1);
  } finally {
    await other.end();
  }
});

test('the server merges on its own every SEARCH_INDEX_MERGE_MS, and shows it on the performance page and /metrics', async () => {
  const admin = await loginAs(t.app, 'admin');
  await scanNewCodes('SB55003', 1, 5500301);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual((await admin.get('/api/stats/performance')).json().searchIndex, { merges: 0, pagesMerged: 0, skipped: 0, failures: 0 });

  await t.rebuild({ config: { searchIndexMergeMs: 20 } });
  const admin2 = await loginAs(t.app, 'admin');
  let stats = (await admin2.get('/api/stats/performance')).json().searchIndex;
  for (let i = 0; i < 100 && stats.pagesMerged < 1; i++) {
    await new Promise((r) => setTimeout(r, 20));
    stats = (await admin2.get('/api/stats/performance')).json().searchIndex;
  }
  assert.ok(stats.merges >= 1 && stats.pagesMerged >= 1, JSON.stringify(stats));
  assert.equal(stats.failures, 0);
  await t.app.searchIndexMerges.stop(); // no merge of the server's runs beside the next one
  assert.equal(await mergeSearchIndexPending(t.app.ctx.db), 0, 'the server left nothing to merge');
  const metrics = (await admin2.get('/metrics')).body;
  assert.match(metrics, /search_index_merges_total\{what="merges"\} [1-9]/);
  assert.match(metrics, /search_index_merges_total\{what="pages"\} [1-9]/);
});

test('a merge that keeps failing is counted every time and logged the first time and every 60th', async () => {
  const { SearchIndexMerges, LOG_EVERY_FAILURES } = await import('../../src/domain/housekeeping/search-index-merges.js');
  // A database that refuses every statement, as one whose role does not own the index would.
  const refusing = {
    getExecutor() {
      throw Object.assign(new Error('must be owner of index bags_code_trgm_idx'), { code: '42501' });
    },
  } as unknown as typeof t.app.ctx.db;
  const logged: unknown[] = [];
  const merges = new SearchIndexMerges({ ...t.app.ctx, db: refusing }, 1, (err) => logged.push(err));
  merges.start();
  for (let i = 0; i < 500 && merges.stats.failures <= LOG_EVERY_FAILURES; i++) await new Promise((r) => setTimeout(r, 2));
  await merges.stop();
  const { failures } = merges.stats;
  assert.ok(failures > LOG_EVERY_FAILURES, `failures ${failures}`);
  assert.equal(logged.length, Math.floor((failures - 1) / LOG_EVERY_FAILURES) + 1, `${logged.length} logged of ${failures}`);
  assert.match(String(logged[0]), /must be owner/);
  assert.deepEqual({ merges: merges.stats.merges, skipped: merges.stats.skipped }, { merges: 0, skipped: 0 });
});
