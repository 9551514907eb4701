import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, countRows, events, fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

const code = (res: { json(): { error?: { code: string } } }) => res.json().error?.code;

test('parent scan: created with kind, capacity and the scanner’s area, then resumed; every role may scan', async () => {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  const created = await scanParent(d, 'SB00860');
  assert.equal(created.statusCode, 200);
  assert.deepEqual(
    { ...created.json().bag, createdAt: 'x' },
    {
      code: 'SB00860',
      type: 'parent',
      kind: 'SB',
      area: 'indore',
      status: 'pending',
      childCount: 0,
      capacity: 30,
      parentCode: null,
      billId: null,
      createdAt: 'x',
    },
  );
  assert.equal(created.json().outcome, 'created');
  await fill(d, 'SB00860', 2);
  const resumed = await scanParent(d, 'SB00860');
  assert.equal(resumed.json().outcome, 'resumed');
  assert.equal(resumed.json().bag.childCount, 2);
  const moong = await scanParent(await loginAs(t.app, 'biller'), 'M444-00030');
  assert.deepEqual([moong.json().bag.kind, moong.json().bag.capacity, moong.json().bag.area], ['M444', 15, 'lucknow']);
  assert.equal((await scanParent(await loginAs(t.app, 'admin'), 'SB00861')).statusCode, 200);
});

test('anonymous scans get 401, a scan without the CSRF token 403; nothing is written', async () => {
  assert.equal((await scanParent(new Client(t.app), 'SB00001')).statusCode, 401);
  assert.equal((await scanChild(new Client(t.app), 'SB00001', 'C0000001')).statusCode, 401);
  const d = await loginAs(t.app, 'dispatcher');
  const res = await d.post('/api/scans/parent', { code: 'SB00001' }, { 'x-csrf-token': '' });
  assert.equal(res.statusCode, 403);
  assert.equal(code(res), 'csrf_failed');
  assert.equal(await countRows(t.app, 'bags'), 0);
});

test('codes are normalised first: lower case, zero-width, NBSP, CR/LF/TAB find the same bag', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await scanParent(d, ' sb\u200b00860\r\n')).json().bag.code, 'SB00860');
  assert.equal((await scanParent(d, '\ufeffSb00860\t')).json().outcome, 'resumed');
  const linked = await scanChild(d, 's\u00adb00860', '\u00a0c0000001\u200d\n');
  assert.equal(linked.json().outcome, 'linked');
  assert.equal(linked.json().child.code, 'C0000001');
  assert.equal((await scanChild(d, 'SB00860', 'c0000001')).json().outcome, 'already_linked');
  assert.equal(await countRows(t.app, 'bags'), 2);
});

test('invalid_format: wrong patterns, empty, over 255 characters; beyond 4096 the schema refuses', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  for (const bad of [
    'SB1234',
    'SB123456',
    'SB-12345',
    'M445-12345',
    'hello world',
    '',
    '  \u200b ',
    'A'.repeat(256),
    "'; drop table bags; --",
  ]) {
    const res = await scanParent(d, bad);
    assert.equal(res.statusCode, 400, JSON.stringify(bad));
    assert.equal(code(res), 'invalid_format');
  }
  await scanParent(d, 'SB00001');
  for (const bad of ['AB', 'C-1', 'A'.repeat(21), 'x'.repeat(300)]) {
    const res = await scanChild(d, 'SB00001', bad);
    assert.equal(code(res), 'invalid_format', bad);
  }
  const huge = await scanParent(d, 'A'.repeat(5000));
  assert.equal(huge.statusCode, 400);
  assert.equal(code(huge), 'validation_failed');
  assert.equal(await countRows(t.app, 'bags'), 1);
});

test('wrong_bag_type both ways: a child code as parent, a parent code as child, a parent into itself', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await scanChild(d, 'SB00001', '0016586');
  assert.equal(code(await scanParent(d, '0016586')), 'wrong_bag_type', 'existing child as parent');
  assert.equal(code(await scanParent(d, '0016587')), 'invalid_format', 'a new code must fit a parent pattern');
  const asChild = await scanChild(d, 'SB00001', 'SB00002');
  assert.equal(asChild.statusCode, 409);
  assert.equal(code(asChild), 'wrong_bag_type', 'new parent-pattern code as child');
  await scanParent(d, 'SB00003');
  assert.equal(code(await scanChild(d, 'SB00001', 'SB00003')), 'wrong_bag_type', 'existing parent as child');
  assert.equal(code(await scanChild(d, 'SB00001', 'SB00001')), 'wrong_bag_type', 'parent into itself');
  assert.equal(code(await scanChild(d, '0016586', 'C0000009')), 'wrong_bag_type', 'a child as the parent in hand');
  assert.equal(code(await scanChild(d, 'SB09999', 'C0000009')), 'parent_not_found');
  assert.equal(code(await scanChild(d, '\u200b', 'C0000009')), 'parent_not_found');
  assert.equal(code(await scanChild(d, 'SB09999', 'bad-code')), 'invalid_format', 'rule 1 comes first');
});

test('wrong_area: a dispatcher of another area neither resumes nor fills a parent; billers pick any area', async () => {
  const lucknow = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  const indore = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  await scanParent(lucknow, 'SB00001');
  const resume = await scanParent(indore, 'SB00001');
  assert.equal(resume.statusCode, 403);
  assert.equal(code(resume), 'wrong_area');
  assert.equal(code(await scanChild(indore, 'SB00001', 'C0000001')), 'wrong_area');
  assert.equal(code(await scanParent(indore, 'SB00002', { area: 'lucknow' })), 'wrong_area');
  assert.equal((await scanParent(indore, 'SB00002', { area: 'indore' })).json().bag.area, 'indore');

  const biller = await loginAs(t.app, 'biller');
  assert.equal((await scanParent(biller, 'SB00003', { area: 'jaipur' })).json().bag.area, 'jaipur');
  assert.equal((await scanParent(biller, 'SB00004')).json().bag.area, 'lucknow', 'default: first active area');
  assert.equal((await scanChild(biller, 'SB00001', 'C0000002')).json().child.area, 'lucknow', 'children inherit');
  assert.equal(code(await scanParent(biller, 'SB00005', { area: 'atlantis' })), 'validation_failed');
  await sql`update areas set active = false where id = 'hisar'`.execute(t.app.ctx.db);
  assert.equal(code(await scanParent(biller, 'SB00005', { area: 'hisar' })), 'validation_failed');
  assert.equal(code(await scanParent(biller, 'SB00005', { area: 'Not A Slug!' })), 'validation_failed');
});

test('child scan: linked, already_linked (nothing changes), already_linked_other_parent names the parent', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await scanParent(d, 'M444-00001');
  const first = await scanChild(d, 'SB00001', 'C0000001');
  assert.equal(first.json().outcome, 'linked');
  assert.equal(first.json().child.parentCode, 'SB00001');
  assert.equal(first.json().child.status, 'linked');
  assert.equal(first.json().parent.childCount, 1);
  const again = await scanChild(d, 'SB00001', 'C0000001');
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().outcome, 'already_linked');
  assert.equal(again.json().parent.childCount, 1);
  const other = await scanChild(d, 'M444-00001', 'C0000001');
  assert.equal(other.statusCode, 409);
  assert.equal(code(other), 'already_linked_other_parent');
  assert.equal(other.json().error.parentCode, 'SB00001');
  assert.match(other.json().error.message, /SB00001/);
  assert.equal((await scanParent(d, 'M444-00001')).json().bag.childCount, 0);
});

test('auto-completion at capacity: SB at 30, M444 at 15; then parent_completed; reopened-but-full is parent_full', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 29);
  const last = await scanChild(d, 'SB00001', childCode(30));
  assert.deepEqual([last.json().parent.childCount, last.json().parent.status], [30, 'completed']);
  const over = await scanChild(d, 'SB00001', childCode(31));
  assert.equal(over.statusCode, 409);
  assert.equal(code(over), 'parent_completed');
  assert.equal((await scanChild(d, 'SB00001', childCode(30))).json().outcome, 'already_linked', 'rule 4 before rule 6');

  await scanParent(d, 'M444-00001');
  await fill(d, 'M444-00001', 15, 'M');
  assert.equal((await scanParent(d, 'M444-00001')).json().bag.status, 'completed');
  assert.equal(code(await scanChild(d, 'M444-00001', childCode(16, 'M'))), 'parent_completed');

  const biller = await loginAs(t.app, 'biller');
  assert.equal((await biller.post('/api/bags/SB00001/reopen')).json().bag.status, 'pending');
  const full = await scanChild(d, 'SB00001', childCode(31));
  assert.equal(code(full), 'parent_full');
  const counted = await sql<{
    n: string;
  }>`select count(*) as n from bags where parent_id = (select id from bags where code = 'SB00001')`.execute(t.app.ctx.db);
  assert.equal(Number(counted.rows[0]!.n), 30);
});

test('legacy codes that match no pattern are found and linked, never created', async () => {
  await insertLegacyBag(t.app, { code: 'PAWAN GODARA 09', type: 'parent' });
  await insertLegacyBag(t.app, { code: 'RAVI SINGH 12', type: 'child' });
  const d = await loginAs(t.app, 'dispatcher');
  const resumed = await scanParent(d, 'pawan  godara\u00a009');
  assert.equal(resumed.json().outcome, 'resumed');
  assert.equal(resumed.json().bag.kind, null);
  const linked = await scanChild(d, 'Pawan Godara 09', 'ravi singh 12');
  assert.equal(linked.json().outcome, 'linked');
  assert.equal(linked.json().child.parentCode, 'PAWAN GODARA 09');
  assert.equal(code(await scanParent(d, 'SURESH KUMAR 01')), 'invalid_format');
  assert.equal(code(await scanChild(d, 'PAWAN GODARA 09', 'SURESH KUMAR 01')), 'invalid_format');
});

test('kinds are read from bag_kinds: a changed capacity applies to new parents only', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'M444-00001');
  try {
    await sql`update bag_kinds set capacity = 2 where id = 'M444'`.execute(t.app.ctx.db);
    t.app.ctx.kinds.forget(); // an edit by SQL is an edit by another process: it would apply within KINDS_FRESH_MS
    assert.equal((await scanParent(d, 'M444-00002')).json().bag.capacity, 2);
    assert.equal((await scanParent(d, 'M444-00001')).json().bag.capacity, 15);
    await sql`update bag_kinds set active = false where id = 'SB'`.execute(t.app.ctx.db);
    t.app.ctx.kinds.forget();
    assert.equal(code(await scanParent(d, 'SB00001')), 'invalid_format', 'SB is no longer a parent format');
    assert.equal((await scanChild(d, 'M444-00002', 'SB00001')).json().outcome, 'linked', 'so SB00001 may now be a child');
  } finally {
    await sql`update bag_kinds set capacity = 15, active = true where id in ('M444', 'SB')`.execute(t.app.ctx.db);
    await sql`update bag_kinds set capacity = 30 where id = 'SB'`.execute(t.app.ctx.db);
    t.app.ctx.kinds.forget();
  }
});

test('scanId: a repeated scan returns the identical answer and changes nothing, refusals included', async () => {
  const d = await loginAs(t.app, 'dispatcher');
  const p1 = await scanParent(d, 'SB00001', { scanId: '0b6f6a4e-1c1f-4c0e-9a7b-6a2f2f7f0001' });
  const p2 = await scanParent(d, 'SB00001', { scanId: '0b6f6a4e-1c1f-4c0e-9a7b-6a2f2f7f0001' });
  assert.equal(p2.statusCode, 200);
  assert.equal(p2.body, p1.body);
  assert.equal(p2.json().outcome, 'created', 'the original answer, not "resumed"');

  const id = '0b6f6a4e-1c1f-4c0e-9a7b-6a2f2f7f0002';
  const c1 = await scanChild(d, 'SB00001', 'C0000001', { scanId: id });
  await scanChild(d, 'SB00001', 'C0000002');
  const c2 = await scanChild(d, 'SB00001', 'C0000001', { scanId: id });
  assert.equal(c2.body, c1.body);
  assert.equal(c2.json().parent.childCount, 1, 'the stored answer, from before the second child');
  assert.equal((await scanParent(d, 'SB00001')).json().bag.childCount, 2);

  const refusalId = '0b6f6a4e-1c1f-4c0e-9a7b-6a2f2f7f0003';
  const r1 = await scanChild(d, 'SB00009', 'C0000003', { scanId: refusalId });
  assert.equal(code(r1), 'parent_not_found');
  await scanParent(d, 'SB00009');
  const r2 = await scanChild(d, 'SB00009', 'C0000003', { scanId: refusalId });
  assert.deepEqual([r2.statusCode, r2.body], [r1.statusCode, r1.body]);
  assert.equal((await scanParent(d, 'SB00009')).json().bag.childCount, 0);

  const linkedEvents = (await events(t.app)).filter((e) => e.action === 'scan.child' && e.outcome === 'linked');
  assert.equal(linkedEvents.length, 2, 'one history row per scan attempt, none for replays');
});

test('scanId is scoped to its user and its kind of request; a malformed scanId is a 400', async () => {
  const a = await loginAs(t.app, 'dispatcher');
  const b = await loginAs(t.app, 'dispatcher');
  const id = '7d444840-9dc0-11d1-b245-5ffdce74fad2';
  await scanParent(a, 'SB00001', { scanId: id });
  const other = await scanParent(b, 'SB00001', { scanId: id });
  assert.equal(other.json().outcome, 'resumed', 'another user’s scanId is a fresh request');
  const reused = await scanChild(a, 'SB00001', 'C0000001', { scanId: id });
  assert.equal(reused.statusCode, 400);
  assert.equal(code(reused), 'validation_failed');
  assert.equal(code(await scanParent(a, 'SB00002', { scanId: 'not-a-uuid' })), 'validation_failed');
});

test('every scan attempt writes exactly one history row with subject, related parent, area, user and station', async () => {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'jaipur' });
  const other = await loginAs(t.app, 'dispatcher', { areaId: 'akola' });
  const station = { 'x-station-id': 'dock-3' };
  await d.post('/api/scans/parent', { code: 'SB00001' }, station);
  await d.post('/api/scans/child', { parentCode: 'SB00001', code: 'C0000001' }, station);
  const refusals = [
    () => scanParent(d, 'nope'),
    () => scanParent(d, 'C0000001'),
    () => scanParent(other, 'SB00001'),
    () => scanChild(d, 'SB00001', 'x'),
    () => scanChild(d, 'SB00404', 'C0000002'),
    () => scanChild(d, 'SB00001', 'SB00001'),
    () => scanChild(other, 'SB00001', 'C0000002'),
  ];
  for (const r of refusals) assert.ok((await r()).statusCode >= 400);
  const rows = await events(t.app);
  assert.equal(rows.length, 2 + refusals.length);
  const [p, c] = rows;
  assert.deepEqual([p!.action, p!.outcome, p!.subject, p!.area_id, p!.station], ['scan.parent', 'created', 'SB00001', 'jaipur', 'dock-3']);
  assert.deepEqual(
    [c!.action, c!.outcome, c!.subject, c!.related, c!.actor_id],
    ['scan.child', 'linked', 'C0000001', 'SB00001', d.user!.id],
  );
  assert.deepEqual(
    rows.slice(2).map((e) => e.outcome),
    ['invalid_format', 'wrong_bag_type', 'wrong_area', 'invalid_format', 'parent_not_found', 'wrong_bag_type', 'wrong_area'],
  );
  assert.deepEqual((await events(t.app, 'SB00001')).map((e) => e.action).slice(0, 2), ['scan.parent', 'scan.child']);
});

test('bad input never gives a 5xx: malformed JSON, wrong types, extra fields, huge bodies, odd Unicode', async () => {
  const d = await loginAs(t.app, 'biller');
  await scanParent(d, 'SB00001');
  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, unknown, Record<string, string>?]> = [
    ['/api/scans/parent', '{"code": "SB00002"', json],
    ['/api/scans/parent', '[]', json],
    ['/api/scans/parent', 'null', json],
    ['/api/scans/parent', { code: 12345 }],
    ['/api/scans/parent', { code: null }],
    ['/api/scans/parent', {}],
    ['/api/scans/parent', { code: 'SB00002', extra: 1 }],
    ['/api/scans/parent', { code: 'SB00002', area: { $ne: null } }],
    ['/api/scans/child', { parentCode: 'SB00001' }],
    ['/api/scans/child', { parentCode: 'SB00001', code: { toString: 1 } }],
    ['/api/scans/child', { parentCode: 'SB00001', code: 'C0000001', scanId: 42 }],
    ['/api/scans/child', { parentCode: 'SB00001', code: 'x'.repeat(300_000) }],
    ['/api/scans/child', { parentCode: 'SB00001', code: '\u0000\u0000' }],
    ['/api/scans/child', { parentCode: 'SB\u0000', code: 'C0000001' }],
    ['/api/scans/child', { parentCode: 'SB00001', code: '\ud800\udfff\ud800' }],
    ['/api/scans/child', { parentCode: 'SB00001', code: 'Ǆ\u0130ß\u1e9e\u{1F600}' }],
    ['/api/scans/child', { parentCode: 'SB00001', code: '%00%27%22<script>' }],
    ['/api/scans/undo', { parentCode: 7 }],
    ['/api/scans/undo', 'parentCode=SB00001', { 'content-type': 'text/plain' }],
  ];
  for (const [url, body, headers] of cases) {
    const res = await d.post(url, body, headers);
    assert.ok(
      res.statusCode >= 400 && res.statusCode < 500,
      `${url} ${JSON.stringify(body).slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
    );
    assert.ok(res.json().error.code, 'a clear error code');
  }
  assert.equal((await scanParent(d, 'SB00001')).json().bag.childCount, 0);
});
