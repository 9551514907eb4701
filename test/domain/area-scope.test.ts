/** Dispatcher area scoping (SPEC §1), the piece every read and write path calls. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaIdFromName, assertAreaAccess, canSeeArea, scopedArea } from '../../src/domain/areas/area-scope.js';
import { refusal } from './fixtures.js';

const dispatcher = { role: 'dispatcher' as const, areaId: 'jaipur' };

test('a dispatcher is scoped to their own area; admins and billers see every area', () => {
  assert.equal(scopedArea(dispatcher), 'jaipur');
  assert.equal(scopedArea({ role: 'admin', areaId: null }), null);
  assert.equal(scopedArea({ role: 'biller', areaId: 'hisar' }), null, 'an area on a biller does not scope them');
});

test('writes to another area are wrong_area; reads simply do not see it', () => {
  assert.doesNotThrow(() => assertAreaAccess(dispatcher, 'jaipur'));
  refusal(() => assertAreaAccess(dispatcher, 'hisar'), 'wrong_area');
  assert.doesNotThrow(() => assertAreaAccess({ role: 'biller', areaId: null }, 'hisar'));
  assert.equal(canSeeArea(dispatcher, 'jaipur'), true);
  assert.equal(canSeeArea(dispatcher, 'hisar'), false);
  assert.equal(canSeeArea({ role: 'admin', areaId: null }, 'hisar'), true);
});

test('area ids are lower-case slugs of their names', () => {
  assert.equal(areaIdFromName('Sri Ganganagar'), 'sri_ganganagar');
  assert.equal(areaIdFromName('  Lucknow '), 'lucknow');
  assert.equal(areaIdFromName('Bāthinda-2'), 'bathinda_2');
});
