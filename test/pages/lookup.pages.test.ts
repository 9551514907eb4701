/** The look-up pages: dashboard at /, /search (exact → redirect), /bags (list), /bags/{code}. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { fill, insertLegacyBag, scanChild, scanParent } from '../helpers/scans.js';
import { insertChildren } from '../helpers/lookups.js';

const t = useTestApp();
/** DD/MM/YY HH:MM, the page time format. */
const PAGE_TIME = /\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}/;

test('dashboard: figures, recent scans, the live client, per-area table for admins only', async () => {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  await scanChild(d, 'SB00001', 'SB00001'); // refused
  const admin = await (await loginAs(t.app, 'admin')).get('/');
  assert.equal(admin.statusCode, 200);
  assert.match(admin.body, /data-stat="parentBags">1</);
  assert.match(admin.body, /data-stat="childBags">2</);
  assert.match(admin.body, /data-stat="scansToday">3</);
  assert.match(admin.body, /data-stat="bills.new">0</);
  assert.match(admin.body, /<tr data-area="lucknow"><td>Lucknow<\/td><td data-stat="parentBags">1<\/td><td data-stat="childBags">2<\/td>/);
  assert.match(admin.body, /<script src="\/assets\/build\/dashboard.js" defer><\/script>/);
  assert.match(admin.body, /data-zone="Asia\/Kolkata"/);
  assert.match(admin.body, /<li class="refused"><time>/);
  assert.match(admin.body, PAGE_TIME);
  assert.doesNotMatch(admin.body, /\sstyle="/);

  const own = await d.get('/');
  assert.doesNotMatch(own.body, /data-area=/, 'no per-area table for dispatchers');
  assert.doesNotMatch(own.body, /data-stat="bills/, 'no bill figures for dispatchers');
  assert.match(own.body, /href="\/scan"/);
  const other = await (await loginAs(t.app, 'dispatcher', { areaId: 'indore' })).get('/');
  assert.match(other.body, /data-stat="parentBags">0</);
  assert.doesNotMatch(other.body, /SB00001/, 'another area’s scans are not listed');
  assert.equal((await new Client(t.app).get('/')).statusCode, 303);
});

test('search page: an exact hit redirects to its page, otherwise suggestions; area hiding', async () => {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  const biller = await loginAs(t.app, 'biller');
  await scanParent(d, 'SB00001');
  await scanParent(d, 'SB00002');
  await biller.post('/api/bills', { billId: 'BILL 7/A', capacity: 1 });
  const exact = await d.get('/search?q=%20sb00001%0D%0A');
  assert.equal(exact.statusCode, 303);
  assert.equal(exact.headers.location, '/bags/SB00001');
  const bill = await biller.get('/search?q=bill%207%2Fa');
  assert.equal(bill.headers.location, '/bills/BILL%207%2FA');
  const some = await d.get('/search?q=SB0000');
  assert.equal(some.statusCode, 200);
  assert.match(some.body, /href="\/bags\/SB00001"/);
  assert.match(some.body, /href="\/bags\/SB00002"/);
  const hidden = await (await loginAs(t.app, 'dispatcher', { areaId: 'indore' })).get('/search?q=SB00001');
  assert.equal(hidden.statusCode, 200);
  assert.match(hidden.body, /Nothing found/);
  assert.equal((await d.get('/search')).statusCode, 200, 'an empty search shows the form');
  const evil = await d.get(`/search?q=${encodeURIComponent('<script>x</script>')}`);
  assert.doesNotMatch(evil.body, /<script>x/);
  assert.equal((await d.get(`/search?q=${'A'.repeat(300)}`)).statusCode, 400);
});

test('bag list page: filters, next page by cursor, dispatcher’s own area only', async () => {
  const admin = await loginAs(t.app, 'admin');
  await insertChildren(t.app, 60, { prefix: 'P', area: 'jaipur' });
  await insertChildren(t.app, 3, { prefix: 'Q', area: 'indore' });
  const first = await admin.get('/bags?area=jaipur');
  assert.equal(first.statusCode, 200);
  assert.equal([...first.body.matchAll(/<td><a href="\/bags\/P\d+">/g)].length, 50);
  const next = /href="(\/bags\?[^"]*cursor=[^"]+)"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
  assert.match(next, /area=jaipur/);
  const second = await admin.get(next);
  assert.equal([...second.body.matchAll(/<td><a href="\/bags\/P\d+">/g)].length, 10);
  assert.doesNotMatch(second.body, /Next page/);
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'indore' });
  const own = await d.get('/bags?area=jaipur');
  assert.equal([...own.body.matchAll(/<td><a href="\/bags\/Q\d+">/g)].length, 3);
  assert.doesNotMatch(own.body, /\/bags\/P0/);
  assert.doesNotMatch(own.body, /name="area"/, 'no area filter for dispatchers');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal((await admin.get(`/bags?from=2000-01-01&to=${today}&type=child&linked=false`)).statusCode, 200);
  assert.equal((await admin.get('/bags?from=yesterday')).statusCode, 400);
  assert.equal((await admin.get('/bags?cursor=junk')).statusCode, 400);
});

test('bag page: header, children, timeline with refusals, escaped legacy codes; other areas are 404', async () => {
  const d = await loginAs(t.app, 'dispatcher', { areaId: 'lucknow' });
  await scanParent(d, 'SB00001');
  await fill(d, 'SB00001', 2);
  await scanChild(d, 'SB00001', 'SB00001');
  const page = await d.get('/bags/sb00001');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<span class="code">SB00001<\/span>/);
  assert.match(page.body, /pending · 2\/30/);
  assert.match(page.body, /href="\/bags\/C0000001"/);
  assert.match(page.body, /<tr class="refused">/);
  assert.match(page.body, /wrong_bag_type/);
  assert.match(page.body, PAGE_TIME);
  const child = await d.get('/bags/C0000002');
  assert.match(child.body, /href="\/bags\/SB00001"/);
  await insertLegacyBag(t.app, { code: '<SCRIPT>ALERT(1)</SCRIPT> / 9', type: 'child' });
  const legacy = await d.get(`/bags/${encodeURIComponent('<script>alert(1)</script> / 9')}`);
  assert.equal(legacy.statusCode, 200);
  assert.doesNotMatch(legacy.body, /<SCRIPT>ALERT/);
  assert.match(legacy.body, /&lt;SCRIPT&gt;ALERT\(1\)&lt;\/SCRIPT&gt; \/ 9/);
  const other = await (await loginAs(t.app, 'dispatcher', { areaId: 'indore' })).get('/bags/SB00001');
  assert.equal(other.statusCode, 404);
  assert.match(String(other.headers['content-type']), /text\/html/);
  assert.equal((await d.get('/bags/NOPE-1')).statusCode, 404);
});
