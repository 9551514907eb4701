/**
 * Two-factor login in a real browser: an admin sets it up from the QR page, logs out, and logs
 * back in with a code generated from the secret, as their phone would. Skips without chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, skipReason, useHarness, type Session } from './helpers.js';
import { PASSWORD } from '../helpers/factories.js';
import { totpCode, totpStep } from '../../src/lib/totp.js';

const h = useHarness();
let s: Session | undefined;

/** Each time step's code is accepted once: wait for the next step after the one just used. */
async function nextStep(used: number): Promise<void> {
  while (totpStep(new Date()) <= used) await new Promise((r) => setTimeout(r, 250));
}

test('admin enables two-factor, logs out, and logs in with a generated code', { skip: skipReason, timeout: 120_000 }, async () => {
  s = await loginAs(h, 'admin', '/profile');
  const { page, user } = s;
  await page.goto('/profile/2fa');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/profile/2fa' && u.search.includes('started')),
    page.click('button:has-text("Set up two-factor")'),
  ]);

  const qrLoaded = await page.$eval('img.qr', (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);
  assert.ok(qrLoaded, 'the QR code image renders (data: images are allowed by the CSP)');
  const secret = (await page.textContent('#totp-secret'))!.replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);

  const enrolStep = totpStep(new Date());
  await page.fill('input[name="code"]', totpCode(secret, enrolStep));
  await Promise.all([page.waitForSelector('ul.backup-codes'), page.click('button:has-text("Turn on two-factor")')]);
  assert.equal(await page.locator('ul.backup-codes li').count(), 10);

  await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('header button:has-text("Log out")')]);
  await page.fill('input[name="username"]', user.username);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForSelector('input[name="totp"]'), page.click('button.primary')]);
  assert.equal(await page.locator('input[name="password"]').count(), 0, 'the code step never asks for the password again');

  await nextStep(enrolStep);
  await page.fill('input[name="totp"]', totpCode(secret, totpStep(new Date())));
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('button:has-text("Verify")')]);
  assert.equal((await page.textContent('header .who .name'))?.trim(), user.username, 'logged in as the admin');
  const cookies = await s.context.cookies();
  assert.ok(cookies.some((c) => c.name === 'tt_session' && c.httpOnly));
  assert.ok(!cookies.some((c) => c.name === 'tt_pending'), 'the pending-login cookie is gone');
  assert.deepEqual(s.errors, [], 'no page errors or CSP violations');
});
