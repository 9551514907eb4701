import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyCode,
  literalPrefix,
  looksLikeTruncatedParent,
  matchKind,
  normaliseCode,
  tryNormaliseCode,
  type BagKind,
} from '../../src/domain/codes.js';
import { DomainError } from '../../src/domain/errors.js';

const KINDS: BagKind[] = [
  {
    id: 'CHILD',
    name: 'Child',
    type: 'child',
    pattern: '^[A-Z0-9]{4,20}$',
    capacity: null,
    expectedWeightKg: 1,
    active: true,
    position: 3,
  },
  { id: 'SB', name: 'Mustard', type: 'parent', pattern: '^SB\\d{5}$', capacity: 30, expectedWeightKg: 30, active: true, position: 1 },
  { id: 'M444', name: 'Moong', type: 'parent', pattern: '^M444-\\d{5}$', capacity: 15, expectedWeightKg: 15, active: true, position: 2 },
];

const invalid = (fn: () => unknown) => assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'invalid_format');

test('normalisation upper-cases, trims and collapses whitespace runs (tab, CR, LF, NBSP) to one space', () => {
  assert.equal(normaliseCode('sb00860'), 'SB00860');
  assert.equal(normaliseCode('  SB00860\r\n'), 'SB00860');
  assert.equal(normaliseCode('\tpawan\u00a0\u00a0godara \t 09\n'), 'PAWAN GODARA 09');
  assert.equal(normaliseCode('a\u2003b\u3000c\u2028d'), 'A B C D');
});

test('normalisation removes invisible characters without leaving a gap', () => {
  assert.equal(normaliseCode('SB\u200b008\u200c6\u200d0'), 'SB00860');
  assert.equal(normaliseCode('\ufeffSB00860\u2060'), 'SB00860');
  assert.equal(normaliseCode('M444-\u00ad00030'), 'M444-00030');
  assert.equal(normaliseCode('00\u200e165\u200f86'), '0016586', 'bidi marks');
});

test('normalisation removes control characters but turns whitespace controls into a space', () => {
  assert.equal(normaliseCode('SB\u0000008\u001b60\u007f'), 'SB00860');
  assert.equal(normaliseCode('AB\u0001\tCD'), 'AB CD');
  assert.equal(normaliseCode('\u0085x1y2\u009f'), 'X1Y2');
  assert.equal(normaliseCode('AB\ud800CD'), 'ABCD', 'a lone surrogate is dropped');
  assert.equal(normaliseCode('AB\ud83d\ude00'), 'AB\ud83d\ude00', 'a real pair stays');
});

test('empty after normalisation is invalid_format', () => {
  invalid(() => normaliseCode(''));
  invalid(() => normaliseCode(' \t\r\n\u00a0'));
  invalid(() => normaliseCode('\u200b\ufeff\u00ad'));
  assert.equal(tryNormaliseCode('   '), undefined);
});

test('longer than 255 characters is invalid_format; exactly 255 is fine', () => {
  assert.equal(normaliseCode('a'.repeat(255)), 'A'.repeat(255));
  invalid(() => normaliseCode('A'.repeat(256)));
  invalid(() => normaliseCode('A'.repeat(100_000)));
  // Counted after normalisation, in characters (code points), as PostgreSQL counts.
  assert.equal(normaliseCode(`  ${'A'.repeat(255)}  `).length, 255);
  assert.equal([...normaliseCode('\u{1F600}'.repeat(255))].length, 255);
  invalid(() => normaliseCode('\u{1F600}'.repeat(256)));
});

test('classifyCode: a code fitting a parent pattern is a parent code, whatever the positions', () => {
  assert.equal(classifyCode('SB00860', KINDS)?.id, 'SB');
  assert.equal(classifyCode('M444-00030', KINDS)?.id, 'M444');
  assert.equal(classifyCode('0016586', KINDS)?.id, 'CHILD');
  const childFirst = KINDS.map((k) => (k.id === 'CHILD' ? { ...k, position: -1 } : k));
  assert.equal(classifyCode('SB00860', childFirst)?.id, 'SB');
  assert.equal(classifyCode('SB-12345', KINDS), undefined);
  assert.equal(classifyCode('PAWAN GODARA 09', KINDS), undefined);
});

test('matchKind by type: the rejected parent formats of the old system fit no parent kind', () => {
  for (const bad of ['SB1234', 'SB123456', 'SB-12345', 'MB12345', 'M445-12345', 'M44412345', 'sb00860', 'SB00860 ']) {
    assert.equal(matchKind(bad, KINDS, 'parent'), undefined, bad);
  }
  assert.equal(matchKind('SB1234', KINDS, 'child')?.id, 'CHILD');
  for (const bad of ['ABC', 'A'.repeat(21), 'AB-12', 'AB 12']) assert.equal(matchKind(bad, KINDS, 'child'), undefined, bad);
});

test('matchKind ignores inactive kinds and broken patterns', () => {
  const kinds = KINDS.map((k) => (k.id === 'SB' ? { ...k, active: false } : k));
  assert.equal(classifyCode('SB00860', kinds)?.id, 'CHILD');
  const broken = [{ ...KINDS[1]!, id: 'BAD', pattern: '([', position: 0 }, ...KINDS];
  assert.equal(matchKind('SB00860', broken, 'parent')?.id, 'SB');
});

test('a truncated parent read (parent prefix + digits, no parent code) is spotted; real codes are not', () => {
  for (const c of ['SB0001', 'SB99', 'SB', 'SB000011', 'M444-001', 'M444-']) assert.equal(looksLikeTruncatedParent(c, KINDS), true, c);
  for (const c of ['SB00001', 'M444-00030', 'C0000001', 'SBX123', '0016586', 'CA0001'])
    assert.equal(looksLikeTruncatedParent(c, KINDS), false, c);
  assert.equal(literalPrefix('^SB\\d{5}$'), 'SB');
  assert.equal(literalPrefix('^M444\\-\\d{5}$'), 'M444-');
  assert.equal(literalPrefix('^AB?\\d+$'), 'A');
  assert.equal(literalPrefix('\\d+'), '');
  const inactive = KINDS.map((k) => (k.id === 'SB' ? { ...k, active: false } : k));
  assert.equal(looksLikeTruncatedParent('SB0001', inactive), false, 'only active parent kinds count');
});
