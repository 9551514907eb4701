/**
 * SPEC §9 on the scan station, with wedge-typed input (keys + Enter at scanner speed): no scan
 * is lost, misread or silently dropped, wherever the focus is (issue 11, items 1 and 6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { loginAs, scan, see, skipReason, useHarness, type Session } from './helpers.js';

const h = useHarness();

async function open(role: 'admin' | 'biller' | 'dispatcher' = 'dispatcher'): Promise<Session> {
  const s = await loginAs(h, role, '/scan');
  await s.page.waitForSelector('#station[data-ready="true"]');
  return s;
}

async function _childrenOf(parentCode: string): Promise<string[]> {
  const r = await sql<{ code: string }>`select c.code from bags c join bags p on p.id = c.parent_id where p.code = ${parentCode} order by c.code`.execute(h.app.database.db);
  return r.rows.map((row) => row.code);
}

/** History rows of scans of this code: action and outcome, oldest first. */
async function historyOf(code: string): Promise<string[]> {
  const r = await sql<{ action: string; outcome: string; related: string | null }>`select action, outcome, related from events where subject = ${code} order by id`.execute(h.app.database.db);
  return r.rows.map((e) => `${e.action} ${e.outcome}${e.related ? ` ${e.related}` : ''}`);
}

const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);

async function fill(page: Page, parent: string, children: string[]): Promise<void> {
  await scan(page, parent);
  await see(page, '#st-parent', parent);
  for (const c of children) await scan(page, c);
  if (children.length < 30) await see(page, '#st-n', String(children.length));
}

test('item 1: a child scan with a full or finished parent in hand is refused against that parent', { skip: skipReason }, async () => {
  const { page, errors } = await open();
  const children = codes('FC', 30);
  await fill(page, 'SB00203', children);
  await see(page, '#st-title', 'Parent complete');
  await scan(page, 'FC0031');
  await see(page, '#st-title', 'Parent already complete');
  await see(page, '#st-detail', /SB00203/);
  assert.deepEqual(await historyOf('FC0031'), ['scan.child parent_completed SB00203']);
  // Finished short: the same.
  await fill(page, 'SB00204', ['FC0041']);
  await page.click('#st-finish');
  await page.click('#st-confirm-ok');
  await see(page, '#st-title', 'Parent complete');
  await scan(page, 'FC0042');
  await see(page, '#st-title', 'Parent already complete');
  await see(page, '#st-detail', /SB00204/);
  assert.deepEqual(await historyOf('FC0042'), ['scan.child parent_completed SB00204']);
  assert.deepEqual(errors, []);
});

test('item 6: a repeat of a child already in this parent reaches the server history', { skip: skipReason }, async () => {
  const { page, errors } = await open();
  await fill(page, 'SB00205', ['FD0001']);
  await scan(page, 'FD0001');
  await see(page, '#st-title', 'Already in this parent');
  await see(page, '#st-n', '1');
  await page.waitForFunction(() => !document.querySelector('#st-recent li[data-state="pending"]'));
  assert.deepEqual(await historyOf('FD0001'), ['scan.child linked SB00205', 'scan.child already_linked SB00205']);
  assert.deepEqual(errors, []);
});

