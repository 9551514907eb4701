/**
 * Rules the SQL enforces inside its UPDATEs (issue 13): the domain names each one, and these
 * tests hold the statements to the domain's function through the real database —
 * parentStatusAt and areaOfLinkedChild (domain/bags/bag.ts), openStatus (domain/bills/bill.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaOfLinkedChild, parentStatusAt } from '../../src/domain/bags/bag.js';
import { openStatus } from '../../src/domain/bills/bill.js';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { childCode, scanChild, scanParent } from '../helpers/scans.js';

const t = useTestApp();

test('a parent’s status follows parentStatusAt on every link and unlink, up to capacity and back', async () => {
  const biller = await loginAs(t.app, 'biller');
  const parent = (await scanParent(biller, 'M444-00001', { area: 'indore' })).json().bag;
  const capacity: number = parent.capacity;
  assert.equal(parent.status, parentStatusAt(0, capacity));
  for (let n = 1; n <= capacity; n++) {
    const res = await scanChild(biller, 'M444-00001', childCode(n));
    assert.equal(res.statusCode, 200, res.body);
    const { child, parent: p } = res.json();
    assert.equal(p.childCount, n);
    assert.equal(p.status, parentStatusAt(n, capacity), `after ${n} of ${capacity}`);
    assert.equal(child.area, areaOfLinkedChild(p), 'the child takes the parent’s area');
  }
  assert.equal(parentStatusAt(capacity, capacity), 'completed', 'the rule itself: full is completed');
  for (let n = capacity - 1; n >= capacity - 2; n--) {
    const res = await biller.post('/api/scans/undo', { parentCode: 'M444-00001', code: childCode(n + 1), reason: 'rule check' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().parent.status, parentStatusAt(n, capacity), `after an unlink down to ${n}`);
  }
  assert.equal(parentStatusAt(capacity - 1, capacity), 'pending', 'the rule itself: below capacity is pending');
});

test('an unlinked child scanned into a parent of another area moves to that area', async () => {
  const biller = await loginAs(t.app, 'biller');
  await scanParent(biller, 'SB00101', { area: 'jaipur' });
  await scanParent(biller, 'SB00102', { area: 'lucknow' });
  await scanChild(biller, 'SB00101', 'C0000101');
  assert.equal((await biller.post('/api/scans/undo', { parentCode: 'SB00101', code: 'C0000101', reason: 'moving it' })).statusCode, 200);
  const res = await scanChild(biller, 'SB00102', 'C0000101');
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().child.area, areaOfLinkedChild(res.json().parent));
  assert.equal(res.json().child.area, 'lucknow');
});

test('a bill’s status follows openStatus as parents join and leave', async () => {
  const biller = await loginAs(t.app, 'biller');
  await biller.post('/api/bills', { billId: 'RULE-1', capacity: 3 });
  const status = async () => (await biller.get('/api/bills/RULE-1')).json().bill.status;
  assert.equal(await status(), openStatus(0));
  for (const [i, code] of ['SB00201', 'SB00202'].entries()) {
    await scanParent(biller, code);
    assert.equal((await biller.post('/api/bills/RULE-1/parents', { code })).statusCode, 200);
    assert.equal(await status(), openStatus(i + 1), `with ${i + 1} parents`);
  }
  for (const [i, code] of ['SB00201', 'SB00202'].entries()) {
    assert.equal((await biller.delete(`/api/bills/RULE-1/parents/${code}`)).statusCode, 200);
    assert.equal(await status(), openStatus(1 - i), `with ${1 - i} parents`);
  }
  assert.notEqual(openStatus(0), openStatus(1), 'the rule itself tells empty from started');
});
