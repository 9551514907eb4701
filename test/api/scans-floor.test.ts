/**
 * SPEC §9 on the server: a truncated parent read is refused at a child scan (stored codes
 * still pass), and a child scanned into a full or finished parent is refused naming that
 * parent and recorded against it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { countRows, events, fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

test('a truncated parent code (SB0001, SB99, SB000011) is invalid_format at a child scan, on the record', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  for (const bad of ['SB0001', 'sb99', 'SB000011']) {
    const res = await scanChild(d, 'SB00001', bad);
    assert.equal(res.statusCode, 400, bad);
    assert.equal(res.json().error.code, 'invalid_format', bad);
  }
  assert.equal(await countRows(t.app, 'bags'), 1, 'no child was created');
  const rows = (await events(t.app, 'SB0001')).map((e) => `${e.action} ${e.outcome} ${e.related}`);
  assert.deepEqual(rows, ['scan.child invalid_format SB00001']);
  // A child code that merely starts like a parent code but has letters after it is a child.
  assert.equal((await scanChild(d, 'SB00001', 'SBX123')).json().outcome, 'linked');
});

test('a stored bag whose code looks truncated is still accepted (SPEC §2 existing-code exception)', async () => {
  await insertLegacyBag(t.app, { code: 'SB0002', type: 'child' });
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00002');
  const res = await scanChild(d, 'SB00002', 'SB0002');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().outcome, 'linked');
});

test('a child into a full or finished parent: parent_completed / parent_full naming it, recorded against it', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00003');
  await fill(d, 'SB00003', 30, 'F');
  const full = await scanChild(d, 'SB00003', 'F9000031');
  assert.equal(full.statusCode, 409);
  assert.equal(full.json().error.code, 'parent_completed');
  assert.match(full.json().error.message, /SB00003/);
  assert.deepEqual(
    (await events(t.app, 'F9000031')).map((e) => `${e.action} ${e.outcome} ${e.related}`),
    ['scan.child parent_completed SB00003'],
  );
  await scanParent(d, 'SB00004');
  await fill(d, 'SB00004', 2, 'G');
  assert.equal((await d.post('/api/bags/SB00004/complete', {})).statusCode, 200);
  const done = await scanChild(d, 'SB00004', 'G9000003');
  assert.equal(done.json().error.code, 'parent_completed');
  assert.deepEqual(
    (await events(t.app, 'G9000003')).map((e) => `${e.action} ${e.outcome} ${e.related}`),
    ['scan.child parent_completed SB00004'],
  );
});
