/**
 * The unlocked scans' writes (migrations/0016_scan_writes.sql, storage/scans.repository.ts) apply only if
 * the rows read are unchanged (for a new parent: its code still free); otherwise it writes nothing at all — not the
 * parent's count, not the child, not the claim, not the history row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../src/domain/actor.js';
import { sourceOf } from '../../src/domain/audit/event.js';
import { scanParent } from '../../src/domain/scans/parent-scan.service.js';
import { createParentIfAbsent, linkChildIfUnchanged, readParentAndChild } from '../../src/storage/scans.repository.js';
import type { AttemptRecord } from '../../src/storage/scan-requests.repository.js';
import { makeUser } from '../helpers/factories.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp();

async function setup(parent: string) {
  const u = await makeUser(t.app, { role: 'biller' });
  const actor: Actor = { userId: u.id, username: u.username, role: u.role, areaId: u.areaId };
  await scanParent(t.app.ctx, actor, { code: parent, area: 'indore' });
  const record = (subject: string, scanId?: string): AttemptRecord => ({
    source: sourceOf(actor),
    event: { action: 'scan.child', outcome: 'linked', subject, related: parent, areaId: 'indore', details: { childCount: 1 } },
    at: new Date(),
    ...(scanId ? { claim: { userId: actor.userId, scanId, endpoint: 'scan.child', outcome: 'linked', response: { ok: 1 } } } : {}),
  });
  return { actor, record };
}
const counts = async (parent: string, child: string) =>
  (
    await sql<{ count: number; child: number; history: number; claims: number }>`
      select (select child_count from bags where code = ${parent}) as count,
             (select count(*)::int from bags where code = ${child}) as child,
             (select count(*)::int from events where subject = ${child}) as history,
             (select count(*)::int from scan_requests) as claims`.execute(t.app.ctx.db)
  ).rows[0]!;

test('unchanged rows: the child is linked and counted, with its claim and history row', async () => {
  const { record } = await setup('SB30001');
  const { parent } = await readParentAndChild(t.app.ctx.db, 'SB30001', 'C3000001');
  const claimsBefore = (await counts('SB30001', 'C3000001')).claims;
  const r = await linkChildIfUnchanged(
    t.app.ctx.db,
    { parent: parent!, child: { code: 'C3000001', kindId: 'CHILD' } },
    record('C3000001', randomUUID()),
  );
  assert.equal(r, 'done');
  assert.deepEqual(await counts('SB30001', 'C3000001'), { count: 1, child: 1, history: 1, claims: claimsBefore + 1 });
});

test('a parent changed since it was read: "changed", and nothing is written', async () => {
  const { record } = await setup('SB30002');
  const { parent } = await readParentAndChild(t.app.ctx.db, 'SB30002', 'C3000002');
  await sql`update bags set updated_at = now() where code = 'SB30002'`.execute(t.app.ctx.db); // any change at all
  const before = await counts('SB30002', 'C3000002');
  const r = await linkChildIfUnchanged(
    t.app.ctx.db,
    { parent: parent!, child: { code: 'C3000002', kindId: 'CHILD' } },
    record('C3000002', randomUUID()),
  );
  assert.equal(r, 'changed');
  assert.deepEqual(await counts('SB30002', 'C3000002'), before);
});

test('a child created or changed since it was read: "changed", and the parent’s count and the claim are rolled back', async () => {
  const { record } = await setup('SB30003');
  // A new code that another station created meanwhile.
  const { parent } = await readParentAndChild(t.app.ctx.db, 'SB30003', 'C3000003');
  await sql`insert into bags (code, type, kind_id, area_id, status) values ('C3000003', 'child', 'CHILD', 'indore', 'unlinked')`.execute(
    t.app.ctx.db,
  );
  const before = await counts('SB30003', 'C3000003');
  const scanId = randomUUID();
  const r = await linkChildIfUnchanged(
    t.app.ctx.db,
    { parent: parent!, child: { code: 'C3000003', kindId: 'CHILD' } },
    record('C3000003', scanId),
  );
  assert.equal(r, 'changed');
  assert.deepEqual(await counts('SB30003', 'C3000003'), before);
  // An existing child that changed after it was read.
  const read = await readParentAndChild(t.app.ctx.db, 'SB30003', 'C3000003');
  await sql`update bags set updated_at = now() where code = 'C3000003'`.execute(t.app.ctx.db);
  const r2 = await linkChildIfUnchanged(
    t.app.ctx.db,
    { parent: read.parent!, child: { existing: read.child! } },
    record('C3000003', scanId),
  );
  assert.equal(r2, 'changed');
  assert.deepEqual(await counts('SB30003', 'C3000003'), before);
});

test('a scanId already claimed: "taken", and nothing is written', async () => {
  const { record } = await setup('SB30004');
  const scanId = randomUUID();
  const first = await readParentAndChild(t.app.ctx.db, 'SB30004', 'C3000004');
  const link = (p: typeof first.parent, code: string) =>
    linkChildIfUnchanged(t.app.ctx.db, { parent: p!, child: { code, kindId: 'CHILD' } }, record(code, scanId));
  assert.equal(await link(first.parent, 'C3000004'), 'done');
  const second = await readParentAndChild(t.app.ctx.db, 'SB30004', 'C3000005');
  const before = await counts('SB30004', 'C3000005');
  assert.equal(await link(second.parent, 'C3000005'), 'taken');
  assert.deepEqual(await counts('SB30004', 'C3000005'), before);
});

test('the parent scan’s write: creates with its record; a code taken meanwhile is "changed", a claimed scanId "taken", nothing written', async () => {
  const { record } = await setup('SB30005');
  const parent = (code: string) => ({ code, kindId: 'SB', areaId: 'indore', capacity: 30 });
  const scanId = randomUUID();
  assert.equal(await createParentIfAbsent(t.app.ctx.db, parent('SB30006'), record('SB30006', scanId)), 'done');
  const made = await counts('SB30006', 'SB30006');
  assert.equal(made.child, 1);
  assert.equal(made.history, 1);
  assert.equal(await createParentIfAbsent(t.app.ctx.db, parent('SB30006'), record('SB30006', randomUUID())), 'changed');
  assert.deepEqual(await counts('SB30006', 'SB30006'), made, 'no second history row, no claim');
  const before = await counts('SB30007', 'SB30007');
  assert.equal(await createParentIfAbsent(t.app.ctx.db, parent('SB30007'), record('SB30007', scanId)), 'taken');
  assert.deepEqual(await counts('SB30007', 'SB30007'), before, 'no bag, no history row');
  assert.equal(before.child, 0);
});
