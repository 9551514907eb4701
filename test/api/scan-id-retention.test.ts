/** Stored scanId answers are kept three days, then purged (domain/scans/scan-id-retention.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { scanParent } from '../helpers/scans.js';
import { forgetOldScanIds, SCAN_ID_KEEP_MS } from '../../src/domain/scans/scan-id-retention.js';

const t = useTestApp();
const OLD = '6c1f0c57-2f4e-4a55-9d2e-000000000001';
const RECENT = '6c1f0c57-2f4e-4a55-9d2e-000000000002';
const storedIds = async () =>
  (await sql<{ scan_id: string }>`select scan_id from scan_requests order by scan_id`.execute(t.app.ctx.db)).rows.map((r) => r.scan_id);

test('answers older than three days are purged, newer ones kept; a purged scanId is a new request', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await scanParent(d, 'SB00001', { scanId: OLD })).json().outcome, 'created');
  t.clock.advance(SCAN_ID_KEEP_MS + 60_000);
  const later = await loginAs(t.app, 'dispatcher'); // the same user, three days on (the old session has expired)
  assert.equal((await scanParent(later, 'SB00002', { scanId: RECENT })).json().outcome, 'created');
  assert.deepEqual(await storedIds(), [OLD, RECENT]);

  assert.equal(await forgetOldScanIds(t.app.ctx), 1);
  assert.deepEqual(await storedIds(), [RECENT]);
  assert.equal(await forgetOldScanIds(t.app.ctx), 0, 'nothing left to purge');

  // Within the window the stored answer comes back; after it, the rules answer afresh.
  assert.equal((await scanParent(later, 'SB00002', { scanId: RECENT })).json().outcome, 'created', 'replayed');
  assert.equal((await scanParent(later, 'SB00001', { scanId: OLD })).json().outcome, 'resumed', 'a new attempt');
});
