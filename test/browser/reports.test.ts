/**
 * /reports in a real browser: the charts draw (SVG bars with the day's figures), the date
 * picker moves to another day, there are no page or CSP errors; screenshot kept in
 * docs/screenshots/reports.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAs, scan, skipReason, useHarness } from './helpers.js';

const h = useHarness();

test('the reports page shows the day with charts, and the date picker changes the day', { skip: skipReason }, async () => {
  for (const [areaId, parents] of [
    ['lucknow', 2],
    ['indore', 1],
  ] as const) {
    const station = await loginAs(h, 'dispatcher', '/scan', { areaId });
    await station.page.waitForSelector('#station[data-ready="true"]');
    for (let p = 0; p < parents; p++) {
      await scan(station.page, `SB${areaId === 'lucknow' ? 1 : 2}${p}001`);
      for (let c = 0; c < 3 + p * 2; c++) await scan(station.page, `${areaId.slice(0, 2).toUpperCase()}${p}${String(c).padStart(5, '0')}`);
    }
    await station.page.waitForTimeout(300);
  }
  const admin = await loginAs(h, 'admin', '/reports');
  await admin.page.setViewportSize({ width: 1100, height: 900 });
  await admin.page.reload();
  const page = admin.page;
  await page.waitForSelector('svg.chart.columns rect.bar', { state: 'attached' });
  const total = await page.evaluate(() =>
    Array.from(document.querySelectorAll<SVGRectElement>('svg.chart.columns rect.bar')).reduce((n, b) => n + Number(b.dataset.value), 0),
  );
  assert.equal(total, 11, 'child scans per hour add up to the scans made');
  await page.screenshot({ path: 'docs/screenshots/reports.png', fullPage: true });

  await page.fill('input[name="date"]', '2020-01-01');
  await Promise.all([page.waitForURL(/date=2020-01-01/), page.click('form[action="/reports"] button.primary')]);
  assert.match((await page.locator('h1').textContent()) ?? '', /2020-01-01/);
  assert.deepEqual(admin.errors, [], 'no page or CSP errors');
});
