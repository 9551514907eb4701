/**
 * The import page in a real browser: an admin picks a label sheet, runs a dry run (counts and
 * the first errors, nothing written), confirms, sees the import finish, and downloads the
 * report. Checked against the database; a screenshot is kept in docs/screenshots/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loginAs, see, skipReason, useHarness } from './helpers.js';

const h = useHarness();

const bagCount = async () => Number((await sql<{ n: string }>`select count(*) as n from bags`.execute(h.app.database.db)).rows[0]!.n);

test('an admin dry-runs a label sheet, confirms it and downloads the report', { skip: skipReason }, async () => {
  const rows = ['Sr. No.,QR Code'];
  for (let i = 1; i <= 15; i++) rows.push(`${i},LABEL NO.${String(i).padStart(7, '0')} LOT NO.:STAR44GG`);
  rows.push('16,M444-00077', '1,LABEL NO.0000999', '16,NOT A PARENT');
  const file = path.join(os.tmpdir(), `labels-${process.pid}.csv`);
  fs.writeFileSync(file, `${rows.join('\r\n')}\r\n`);

  const { page, errors } = await loginAs(h, 'admin', '/imports');
  await page.setViewportSize({ width: 1100, height: 800 });
  assert.ok(await page.locator('nav.main a[href="/imports"]').count(), 'the navigation links the page');
  await page.selectOption('#import-kind', 'label_batches');
  await page.setInputFiles('#import-file', file);
  await page.click('#import-dry');
  await see(page, '#import-result-title', 'Dry run: nothing was written', 30_000);
  await see(page, '#import-counts', '18 rows · 1 created · 15 linked · 0 skipped · 2 failed');
  assert.equal(await page.locator('#import-errors tbody tr').count(), 2);
  assert.equal(await bagCount(), 0, 'the dry run wrote nothing');

  await page.click('#import-confirm');
  await see(page, '#import-result-title', 'Imported', 30_000);
  assert.equal(await bagCount(), 16);
  // Past imports lists the two runs without a reload (it used to keep saying "No imports yet.").
  await see(page, '#past-imports tbody', /labels-.*labels-/s, 10_000);
  assert.equal(await page.locator('#past-imports tbody tr').count(), 2, await page.locator('#past-imports tbody').innerText());
  await page.screenshot({ path: 'docs/screenshots/imports.png', fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-report-csv')]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  assert.match(text, /^row,outcome,code,error_code,message/);
  assert.equal(text.trim().split('\r\n').length, 3, 'header + the two failed rows');
  assert.deepEqual(errors, []);
  fs.rmSync(file, { force: true });
});
