/**
 * Supervisor corrections on the bag page (SPEC §9 last bullet): the forms by role, each with a
 * required reason that the timeline then shows; refusals shown on the page with their status;
 * dispatchers see no controls and are refused by the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, fill, scanParent } from '../helpers/scans.js';

const t = useTestApp();

/** Logs in and opens the bag page, taking its CSRF token as a browser would. */
async function open(role: 'admin' | 'biller' | 'dispatcher', code: string): Promise<{ c: Client; body: string }> {
  const c = await loginAs(t.app, role);
  const page = await c.get(`/bags/${encodeURIComponent(code)}`);
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? c.csrfToken;
  return { c, body: page.body };
}

async function setUp() {
  const d = await loginAs(t.app, 'dispatcher');
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 3);
  await scanParent(d, 'SB00002');
  return d;
}

test('controls by role: admins and billers see unlink and move on a child; dispatchers see none', async () => {
  await setUp();
  for (const role of ['admin', 'biller'] as const) {
    const { body } = await open(role, childCode(1));
    assert.match(body, /<h2>Corrections<\/h2>/, role);
    assert.match(body, /action="\/bags\/C0000001\/unlink"/, role);
    assert.match(body, /action="\/bags\/C0000001\/move"/, role);
    assert.match(body, /name="reason" required maxlength="200"/, role);
  }
  const { body } = await open('dispatcher', childCode(1));
  assert.doesNotMatch(body, /Corrections|\/unlink"|\/move"|\/reopen"|\/delete"/);
});

test('unlink and move from the page: reason required, PRG with a flash, the timeline shows the reason', async () => {
  await setUp();
  const { c } = await open('biller', childCode(1));
  const blank = await c.form('/bags/C0000001/unlink', { parent: 'SB00001', reason: '  ' });
  assert.equal(blank.statusCode, 400);
  assert.match(blank.body, /Give a reason/);
  const unlinked = await c.form('/bags/C0000001/unlink', { parent: 'SB00001', reason: 'label torn' });
  assert.equal(unlinked.statusCode, 303);
  assert.equal(unlinked.headers.location, '/bags/C0000001?done=unlinked');
  const after = (await c.get('/bags/C0000001?done=unlinked')).body;
  assert.match(after, /Child unlinked/);
  assert.match(after, /Reason: label torn/);

  const moved = await c.form('/bags/C0000002/move', { to: 'sb00002', reason: 'wrong sack' });
  assert.equal(moved.headers.location, '/bags/C0000002?done=moved');
  const target = (await c.get('/bags/SB00002')).body;
  assert.match(target, /Moved from SB00001 to SB00002/);
  assert.match(target, /Reason: wrong sack/);
  const refused = await c.form('/bags/C0000003/move', { to: 'SB77777', reason: 'r' });
  assert.equal(refused.statusCode, 404);
  assert.match(refused.body, /No parent bag SB77777/);
  assert.match(refused.body, /flash-error/);
  assert.equal((await c.form('/bags/C0000003/move', { to: 'SB00002', reason: 'x'.repeat(201) })).statusCode, 400);
  assert.equal((await c.form('/bags/C0000003/move', { to: 'SB00002', reason: 'r' }, false)).statusCode, 403, 'no CSRF token');
});

test('reopen from the page (admin, biller), delete (admin only, an unlinked bag, with confirm)', async () => {
  const d = await setUp();
  const b = await loginAs(t.app, 'biller');
  await b.post('/api/bags/SB00001/complete');
  const { c: biller, body } = await open('biller', 'SB00001');
  assert.match(body, /action="\/bags\/SB00001\/reopen"/);
  assert.doesNotMatch(body, /\/delete"/, 'billers do not delete');
  const reopened = await biller.form('/bags/SB00001/reopen', { reason: 'two more bags found' });
  assert.equal(reopened.headers.location, '/bags/SB00001?done=reopened');
  assert.match((await biller.get('/bags/SB00001')).body, /Reason: two more bags found/);
  assert.equal((await biller.form('/bags/SB00002/delete', { reason: 'r', confirm: 'yes' })).statusCode, 403);

  const { c: admin, body: emptyParent } = await open('admin', 'SB00002');
  assert.match(emptyParent, /action="\/bags\/SB00002\/delete"/);
  assert.doesNotMatch((await admin.get('/bags/SB00001')).body, /\/delete"/, 'a parent with children cannot be deleted');
  assert.equal((await admin.form('/bags/SB00002/delete', { reason: 'r' })).statusCode, 400, 'the confirm box is required');
  assert.equal((await admin.form('/bags/SB00001/delete', { reason: 'r', confirm: 'yes' })).statusCode, 409);
  const deleted = await admin.form('/bags/SB00002/delete', { reason: 'scanned by mistake', confirm: 'yes' });
  assert.equal(deleted.headers.location, '/bags?done=deleted');
  assert.match((await admin.get('/bags?done=deleted')).body, /Bag deleted/);

  // Dispatchers: refused by the server on every form.
  const { c: disp } = await open('dispatcher', childCode(3));
  for (const [url, fields] of [
    ['/bags/C0000003/unlink', { parent: 'SB00001', reason: 'r' }],
    ['/bags/C0000003/move', { to: 'SB00002', reason: 'r' }],
    ['/bags/SB00001/reopen', { reason: 'r' }],
    ['/bags/SB00001/delete', { reason: 'r', confirm: 'yes' }],
  ] as const) {
    assert.equal((await disp.form(url, fields)).statusCode, 403, url);
  }
  assert.equal((await d.get('/api/bags/C0000003')).json().bag.parentCode, 'SB00001');
});
