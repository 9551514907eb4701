/**
 * The day's PDF renders: pdftoppm (poppler-utils) turns it into PNG pages; there must be exactly
 * one, and it must not be blank. The PNG is kept in docs/screenshots/ for people to look at.
 * Skips with a message when pdftoppm is missing (CI installs poppler-utils).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';
import { fill, scanParent } from '../helpers/scans.js';

const t = useTestApp({ startAt: '2026-11-25T06:00:00Z' });
const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = hasPdftoppm ? false : 'pdftoppm not found: apt-get install -y poppler-utils';
if (skip) console.warn(`\n*** ${skip} ***\n`);

test('the daily PDF is one non-blank A4 page', { skip }, async () => {
  let p = 1;
  for (const [i, areaId] of ['lucknow', 'indore', 'jaipur'].entries()) {
    const u = await loginAs(t.app, 'dispatcher', { areaId });
    for (let k = 0; k <= i; k++) {
      const code = `SB${String(p++).padStart(5, '0')}`;
      await scanParent(u, code);
      await fill(u, code, 4 + 3 * k, `P${p}X`);
      t.clock.advanceMinutes(25); // under the 30-minute idle limit of sessions
    }
  }
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.get('/api/reports/daily.pdf?date=2026-11-25');
  assert.equal(res.statusCode, 200, res.body);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.pdf'), res.rawPayload);
    execFileSync('pdftoppm', ['-png', '-r', '60', path.join(dir, 'r.pdf'), path.join(dir, 'page')]);
    const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
    assert.equal(pages.length, 1, `pages: ${pages.join(', ')}`);
    // Non-blank: a blank white page compresses to almost nothing; ours has text, bars and tables.
    const png = fs.readFileSync(path.join(dir, pages[0]!));
    assert.ok(png.length > 8000, `PNG of ${png.length} bytes looks blank`);
    // And dark pixels: the page as a grey map (PGM on stdout: "P5 w h 255" then one byte a pixel).
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', '20', '-singlefile', path.join(dir, 'r.pdf')]);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    assert.ok(header, 'a PGM image');
    const pixels = pgm.subarray(header[0].length);
    const dark = pixels.filter((v) => v < 128).length;
    assert.ok(dark > 0.005 * pixels.length, `only ${dark} of ${pixels.length} pixels are dark`);
    fs.mkdirSync('docs/screenshots', { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', path.join(dir, 'r.pdf'), 'docs/screenshots/report-pdf']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
