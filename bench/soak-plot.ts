/**
 * Draws the soak CSV (bench/soak.ts) as four small line charts in one SVG and saves a PNG
 * screenshot of it through headless Chromium:
 *   node --import tsx bench/soak-plot.ts docs/soak.csv docs/soak.png
 */
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [csvPath = 'docs/soak.csv', pngPath = 'docs/soak.png'] = process.argv.slice(2);
const [head, ...lines] = fs.readFileSync(csvPath, 'utf8').trim().split('\n');
const cols = head!.split(',');
const rows = lines.map((l) => l.split(',').map(Number));
const col = (name: string) => rows.map((r) => r[cols.indexOf(name)]!);
const x = col('minute');

interface Series {
  label: string;
  values: number[];
  color: string;
}
const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#57606a'];

function chart(title: string, unit: string, series: Series[], ox: number, oy: number, w = 540, h = 260): string {
  const pad = { l: 56, r: 12, t: 28, b: 34 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const ymax = Math.max(1, ...all) * 1.1;
  const xmax = Math.max(...x);
  const px = (v: number) => ox + pad.l + (v / xmax) * (w - pad.l - pad.r);
  const py = (v: number) => oy + h - pad.b - (v / ymax) * (h - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * ymax);
  const grid = ticks
    .map(
      (v) =>
        `<line x1="${px(0)}" x2="${px(xmax)}" y1="${py(v)}" y2="${py(v)}" stroke="#eaeef2"/><text x="${px(0) - 6}" y="${py(v) + 4}" text-anchor="end">${v >= 100 ? Math.round(v) : v.toFixed(1)}</text>`,
    )
    .join('');
  const xt = [0, 5, 10, 15, 20, 25, 30]
    .filter((m) => m <= xmax)
    .map((m) => `<text x="${px(m)}" y="${oy + h - pad.b + 16}" text-anchor="middle">${m}</text>`)
    .join('');
  const paths = series
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.values.map((v, i) => `${px(x[i]!)},${py(Number.isFinite(v) ? v : 0)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${ox + pad.l + 8 + i * 112}" y="${oy + pad.t + 4}" width="10" height="10" fill="${s.color}"/><text x="${ox + pad.l + 22 + i * 112}" y="${oy + pad.t + 13}">${s.label}</text>`,
    )
    .join('');
  return `<g font-size="11" fill="#24292f"><text x="${ox + pad.l}" y="${oy + 16}" font-size="13" font-weight="600">${title} (${unit})</text>${grid}${xt}<text x="${px(xmax / 2)}" y="${oy + h - 4}" text-anchor="middle">minutes</text>${paths}${legend}</g>`;
}

const mb = (name: string) => col(name).map((kb) => kb / 1024);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="560" font-family="sans-serif"><rect width="1100" height="560" fill="#fff"/>
${chart(
  'Server memory',
  'MB',
  [
    { label: 'RSS', values: col('rss_mb'), color: COLORS[0]! },
    { label: 'heap used', values: col('heap_used_mb'), color: COLORS[1]! },
  ],
  0,
  0,
)}
${chart(
  'Event-loop delay per minute',
  'ms',
  [
    { label: 'p50', values: col('loop_p50_ms'), color: COLORS[2]! },
    { label: 'p99', values: col('loop_p99_ms'), color: COLORS[1]! },
  ],
  550,
  0,
)}
${chart(
  'Database pool',
  'connections / queued queries',
  [
    { label: 'in use', values: col('pool_in_use'), color: COLORS[0]! },
    { label: 'waiting', values: col('pool_waiting'), color: COLORS[3]! },
  ],
  0,
  280,
)}
${chart(
  'Table size',
  'MB',
  [
    { label: 'events', values: mb('events_kb'), color: COLORS[0]! },
    { label: 'bags', values: mb('bags_kb'), color: COLORS[1]! },
    { label: 'scan_requests', values: mb('scan_requests_kb'), color: COLORS[2]! },
    { label: 'sessions+limits', values: col('sessions_kb').map((v, i) => (v + col('rate_limits_kb')[i]!) / 1024), color: COLORS[4]! },
  ],
  550,
  280,
)}
</svg>`;
fs.writeFileSync(pngPath.replace(/\.png$/, '.svg'), svg);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 560 } });
  await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
  await page.screenshot({ path: pngPath });
} finally {
  await browser.close();
}
console.log(`wrote ${pngPath}`);
