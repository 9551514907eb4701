/**
 * A code that cannot be normalised is refused (400 invalid_format) on the record: the history
 * row of a child scan, a parent scan, a bill link and a return keeps a 64-character excerpt of
 * the input and its length, never the whole input (SPEC §5: every attempt is recorded).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTestApp } from '../helpers/setup.js';
import { loginAs } from '../helpers/http.js';
import { createBill, linkParent } from '../helpers/bills.js';
import { newTicket, returnBag } from '../helpers/returns.js';

const t = useTestApp();
const long = `${'Q'.repeat(60)}-${'z'.repeat(239)}`; // 300 characters, not a code

test('a refused over-long code leaves a 64-character excerpt and its length in each history row', async () => {
  const b = await loginAs(t.app, 'biller');
  assert.equal((await createBill(b, 'RI-1', 5)).statusCode, 201);
  const ticket = await newTicket(b);
  const answers = [
    await b.post('/api/scans/parent', { code: long }),
    await b.post('/api/scans/child', { parentCode: 'SB00001', code: long }),
    await linkParent(b, 'RI-1', long),
    await returnBag(b, ticket, long),
  ];
  for (const res of answers) {
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'invalid_format');
  }
  const rows = await t.app.ctx.db
    .selectFrom('events')
    .select(['action', 'outcome', 'subject', 'related', 'details'])
    .where('outcome', '=', 'invalid_format')
    .orderBy('id')
    .execute();
  assert.deepEqual(
    rows.map((r) => [r.action, r.subject, r.related]),
    [
      ['scan.parent', null, null],
      ['scan.child', null, 'SB00001'],
      ['bill.link', null, 'RI-1'],
      ['return.add', null, null],
    ],
  );
  for (const r of rows) {
    const d = r.details as { input: string; inputLength: number };
    assert.equal(d.input, long.slice(0, 64), r.action);
    assert.equal(d.inputLength, 300, r.action);
  }
  assert.equal((rows[3]!.details as { returnTicket: string }).returnTicket, ticket, 'the return keeps its ticket');
});
