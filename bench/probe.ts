/**
 * One user, one request at a time: the latency of a parent scan, a child scan and the dashboard
 * without any concurrency — the floor the loaded numbers are compared with.
 * Usage: node --import tsx bench/probe.ts [--url http://127.0.0.1:5000] [--user bench_user_5] [--kind SB|M444]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { BENCH_PASSWORD, Session } from './load/http.js';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:5000' },
    user: { type: 'string', default: 'bench_user_5' },
    password: { type: 'string', default: BENCH_PASSWORD },
    kind: { type: 'string', default: 'SB' },
    n: { type: 'string', default: '30' },
  },
});
const base = new URL(a.url!);
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(base.hostname)) throw new Error('loopback only');
const s = new Session(base, new http.Agent({ keepAlive: true }));
await s.login(a.user!, a.password!);
const times: Record<string, number[]> = { parent: [], child: [], dashboard: [] };
const timed = async (k: string, f: () => Promise<unknown>) => {
  const t = performance.now();
  const r = await f();
  times[k]!.push(performance.now() - t);
  return r as { body?: { bag?: { status?: string } } };
};
for (let i = 0; i < Number(a.n); i++) {
  const digits = String(Math.floor(Math.random() * 100000)).padStart(5, '0');
  const code = a.kind === 'M444' ? `M444-${digits}` : `SB${digits}`;
  const r = await timed('parent', () => s.request('POST', '/api/scans/parent', { code }));
  if (r.body?.bag?.status === 'pending')
    await timed('child', () => s.request('POST', '/api/scans/child', { parentCode: code, code: `PRB${Date.now()}${i}` }));
  await timed('dashboard', () => s.request('GET', '/api/dashboard/stats'));
}
for (const [k, v] of Object.entries(times)) {
  const sorted = [...v].sort((x, y) => x - y);
  console.log(
    `${k}: n ${v.length}, p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`,
  );
}
process.exit(0);
