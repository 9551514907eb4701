/**
 * A child or parent scan runs unlocked (one read, one conditional write: ADR 0026) or, for a
 * parent on a bill or rows that keep changing, as the locked attempt. The rules are the same
 * functions (decideChildScan, decideParentScan); these tests hold the two paths to the same answers, history rows and
 * stored state over one table of cases, each path on its own bags, through the real database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../src/domain/actor.js';
import { isDomainError } from '../../src/domain/errors.js';
import { scanChild, scanChildLocked, type ScanChildInput } from '../../src/domain/scans/child-scan.service.js';
import { scanParent, scanParentLocked, type ScanParentInput } from '../../src/domain/scans/parent-scan.service.js';
import { undoLink } from '../../src/domain/scans/undo.service.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, insertLegacyBag } from '../helpers/scans.js';

const t = useTestApp();
const PATHS = { unlocked: scanChild, locked: scanChildLocked } as const;
type PathName = keyof typeof PATHS;

const actorOf = async (role: 'biller' | 'dispatcher'): Promise<Actor> => {
  const u = await makeUser(t.app, { role });
  return { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
};

/** Each path's own codes: parents SB1xxxx / SB2xxxx, children C00001xx / C00002xx (childCode). */
const codesOf = (path: PathName) => {
  const n = path === 'unlocked' ? 1 : 2;
  return { parent: (i: number) => `SB${n}${String(i).padStart(4, '0')}`, child: (i: number) => childCode(n * 100 + i) };
};

/** The answer, the parent's stored count and status, and the newest history row, with path-specific codes made generic. */
async function scanOn(path: PathName, actor: Actor, input: ScanChildInput) {
  let answer: unknown;
  try {
    answer = { ok: await PATHS[path](t.app.ctx, actor, input) };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    answer = { error: err.code, message: err.message, details: err.details ?? null };
  }
  const parent = await t.app.ctx.db
    .selectFrom('bags')
    .select(['child_count', 'status', 'area_id'])
    .where('code', '=', input.parentCode)
    .executeTakeFirst();
  const history = await t.app.ctx.db
    .selectFrom('events')
    .select(['action', 'outcome', 'subject', 'related', 'area_id', 'details'])
    .where('action', '=', 'scan.child')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const generic = JSON.stringify({ answer, parent: parent ?? null, history })
    .replace(/SB[12](\d{4})/g, 'SBx$1')
    .replace(/C0000[12](\d{2})/g, 'C0000x$1')
    .replace(/SB[12](\d{4})/g, 'SBx$1')
    .replace(/"createdAt":"[^"]+"/g, '"createdAt":"…"');
  return JSON.parse(generic) as unknown;
}

test('the unlocked and the locked child scan give the same answers, history and counts over the rule table', async () => {
  const biller = await actorOf('biller');
  const dispatcher = await actorOf('dispatcher'); // lucknow
  const results: Record<PathName, unknown[]> = { unlocked: [], locked: [] };
  for (const path of Object.keys(PATHS) as PathName[]) {
    const c = codesOf(path);
    const ctx = t.app.ctx;
    await scanParent(ctx, biller, { code: c.parent(1), area: 'indore' });
    await scanParent(ctx, biller, { code: c.parent(2), area: 'jaipur' });
    await scanParent(ctx, biller, { code: c.parent(3), area: 'lucknow' });
    const scan = async (actor: Actor, parentCode: string, code: string) =>
      results[path].push(await scanOn(path, actor, { parentCode, code }));
    await scan(biller, c.parent(1), c.child(1)); // a new child: linked
    await scan(biller, c.parent(1), c.child(1)); // again: already_linked
    await scan(biller, c.parent(2), c.child(1)); // in another parent: already_linked_other_parent
    await undoLink(ctx, biller, { parentCode: c.parent(1), code: c.child(1), reason: 'moved' });
    await scan(biller, c.parent(2), c.child(1)); // an existing, unlinked child: linked, takes jaipur
    await scan(biller, `${c.parent(9)}`, c.child(2)); // no such parent: parent_not_found
    await scan(biller, c.parent(1), c.parent(2)); // a parent as child: wrong_bag_type
    await scan(biller, c.parent(1), c.parent(1)); // the parent itself: wrong_bag_type
    await scan(biller, c.parent(1), 'NOT A CODE'); // invalid_format
    await scan(biller, c.parent(1), c.child(3).slice(0, 2)); // too short to be a bag: invalid_format
    await scan(biller, c.child(1), c.child(4)); // a child as the parent: wrong_bag_type
    await scan(dispatcher, c.parent(1), c.child(5)); // another area's parent: refused
    await scan(dispatcher, c.parent(3), c.child(5)); // own area: linked
    await insertLegacyBag(t.app, { code: `LEG${c.child(6)}`, type: 'child' }); // a legacy child: no kind
    await scan(biller, c.parent(3), `LEG${c.child(6)}`); // linked all the same
    for (let i = 10; i < 45; i++) await scan(biller, c.parent(1), c.child(i)); // past capacity (30): refused
  }
  assert.equal(results.unlocked.length, results.locked.length);
  for (const [i, u] of results.unlocked.entries()) assert.deepEqual(u, results.locked[i], `case ${i}`);
  const outcomes = results.unlocked.map((r) => (r as { history: { outcome: string } }).history.outcome);
  for (const expected of [
    'linked',
    'already_linked',
    'already_linked_other_parent',
    'parent_not_found',
    'wrong_bag_type',
    'invalid_format',
  ])
    assert.ok(outcomes.includes(expected), `the table covers ${expected}: ${outcomes.join(' ')}`);
  assert.ok(outcomes.includes('parent_completed') || outcomes.includes('parent_full'), 'the table fills a parent');
});

const PARENT_PATHS = { unlocked: scanParent, locked: scanParentLocked } as const;

/** A parent scan's answer and newest history row, with path-specific codes made generic. */
async function parentScanOn(path: PathName, actor: Actor, input: ScanParentInput) {
  let answer: unknown;
  try {
    answer = { ok: await PARENT_PATHS[path](t.app.ctx, actor, input) };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    answer = { error: err.code, message: err.message, details: err.details ?? null };
  }
  const history = await t.app.ctx.db
    .selectFrom('events')
    .select(['action', 'outcome', 'subject', 'related', 'area_id', 'details'])
    .where('action', '=', 'scan.parent')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return JSON.parse(
    JSON.stringify({ answer, history })
      .replace(/SB[12](\d{4})/g, 'SBx$1')
      .replace(/M444-[12](\d{4})/g, 'M444-x$1')
      .replace(/C0000[12](\d{2})/g, 'C0000x$1')
      .replace(/"createdAt":"[^"]+"/g, '"createdAt":"…"'),
  ) as unknown;
}

test('the unlocked and the locked parent scan give the same answers and history over the rule table', async () => {
  const biller = await actorOf('biller');
  const dispatcher = await actorOf('dispatcher'); // lucknow
  const results: Record<PathName, unknown[]> = { unlocked: [], locked: [] };
  for (const path of Object.keys(PARENT_PATHS) as PathName[]) {
    const c = codesOf(path);
    const n = path === 'unlocked' ? 1 : 2;
    const scan = async (actor: Actor, input: ScanParentInput) => results[path].push(await parentScanOn(path, actor, input));
    await scan(biller, { code: c.parent(1) }); // created, in the first active area
    await scan(biller, { code: c.parent(1) }); // resumed
    await scan(biller, { code: c.parent(2), area: 'jaipur' }); // created where the biller chose
    await scan(biller, { code: `M444-${n}0003`, area: 'nowhere' }); // an unknown area: refused
    await scan(dispatcher, { code: c.parent(4) }); // created in the dispatcher's own area
    await scan(dispatcher, { code: c.parent(5), area: 'jaipur' }); // another area: refused
    await scan(dispatcher, { code: c.parent(2) }); // resuming another area's parent: refused
    await scanChild(t.app.ctx, biller, { parentCode: c.parent(1), code: c.child(1) });
    await scan(biller, { code: c.child(1) }); // a child: wrong_bag_type
    await scan(biller, { code: 'NOT A CODE' }); // invalid_format
    await scan(biller, { code: 'XYZ9' }); // fits no parent pattern: invalid_format
  }
  assert.equal(results.unlocked.length, results.locked.length);
  for (const [i, u] of results.unlocked.entries()) assert.deepEqual(u, results.locked[i], `case ${i}`);
  const outcomes = results.unlocked.map((r) => (r as { history: { outcome: string } }).history.outcome);
  for (const expected of ['created', 'resumed', 'validation_failed', 'wrong_area', 'wrong_bag_type', 'invalid_format'])
    assert.ok(outcomes.includes(expected), `the table covers ${expected}: ${outcomes.join(' ')}`);
});
