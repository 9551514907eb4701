/**
 * The return pages: the list (status filter, the open-a-ticket form: Post/Redirect/Get to the
 * return station), the ticket page (bags with before/after, timeline), take-off, commit and
 * cancel as plain forms behind a confirmation page, a refusal shown on the ticket page with its
 * status, escaping of notes, the navigation link, and dispatchers kept out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { billWith, newTicket, returnBag } from '../helpers/returns.js';

const t = useTestApp();

/** Logs in through the API, then fetches a page so the client holds a page CSRF token too. */
async function office(role: 'admin' | 'biller') {
  const c = await loginAs(t.app, role);
  const page = await c.get('/returns');
  c.csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return c;
}

test('list and open form: a new ticket lands on its return station; status filter; nav link; dispatchers get 403', async () => {
  const b = await office('biller');
  const list = await b.get('/returns');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /href="\/returns" aria-current="page">Returns/);
  const created = await b.form('/returns', { area: 'jaipur', notes: '<b>Sharma</b>' });
  assert.equal(created.statusCode, 303);
  assert.match(String(created.headers.location), /^\/returns\/RTN-\d{8}-[0-9A-F]{4}\/scan$/);
  const station = await b.get(String(created.headers.location));
  assert.equal(station.statusCode, 200);
  assert.match(station.body, /id="return-station"/);
  assert.match(station.body, /\/assets\/build\/returns\.js/);
  const again = await b.get('/returns');
  assert.match(again.body, /&lt;b&gt;Sharma&lt;\/b&gt;/);
  assert.doesNotMatch(again.body, /<b>Sharma<\/b>/);
  assert.match((await b.get('/returns?status=open')).body, /RTN-/);
  assert.doesNotMatch((await b.get('/returns?status=committed')).body, /<strong>RTN-/);
  assert.equal((await b.form('/returns', { area: 'nowhere' })).statusCode, 400);
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await d.get('/returns')).statusCode, 403);
  assert.doesNotMatch((await d.get('/')).body, /href="\/returns"/);
});

test('ticket page: bags with before/after and timeline; take off; commit asks first; a refused commit shows why', async () => {
  const a = await office('admin');
  await billWith(a, 'PG-1', 4, [
    ['SB00001', 2],
    ['SB00002', 1],
  ]);
  const tk = await newTicket(a);
  const empty = await a.form(`/returns/${tk}/commit`, { confirm: 'yes' });
  assert.equal(empty.statusCode, 409);
  assert.match(empty.body, /has no bags/);
  await returnBag(a, tk, 'SB00001');
  await returnBag(a, tk, 'SB00002');
  const page = await a.get(`/returns/${tk}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /2 → 1 parents · 3 → 1 kg actual · 60 → 30 kg expected/);
  assert.match(page.body, /Returned/);

  const off = await a.form(`/returns/${tk}/bags/SB00002/remove`, {});
  assert.equal(off.statusCode, 303);
  assert.equal(off.headers.location, `/returns/${tk}?done=back_on_bill`);
  assert.match((await a.get(String(off.headers.location))).body, /went back onto its bill/);

  const confirm = await a.get(`/returns/${tk}/confirm?action=commit`);
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, /Yes, commit it/);
  assert.equal((await a.form(`/returns/${tk}/commit`, {})).statusCode, 400, 'commit needs the confirmation');
  const done = await a.form(`/returns/${tk}/commit`, { confirm: 'yes' });
  assert.equal(done.headers.location, `/returns/${tk}?done=committed`);
  const closed = await a.get(`/returns/${tk}`);
  assert.match(closed.body, /data-status="committed"/);
  assert.doesNotMatch(closed.body, /Take off/);
  const refused = await a.form(`/returns/${tk}/cancel`, { confirm: 'yes' });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /is committed/);
  assert.equal((await a.get('/returns/RTN-20990101-0000')).statusCode, 404);
  const d = await loginAs(t.app, 'dispatcher');
  assert.equal((await d.get(`/returns/${tk}`)).statusCode, 403);
});
