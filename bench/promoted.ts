/**
 * What the server keeps past the young generation under the shift's paced load (issue 14): the
 * bytes that fill the old space and bring on its full collections. One paced minute (the shift's
 * generator, 200 users) on the built server; over its counted part V8's sampling heap profiler
 * keeps only objects a scavenge did not free (bench/promoted-preload.mjs). Prints the minute's
 * p99s, the collections (count, total and longest pause) and the promoted bytes by the
 * allocating function, and by the last frame of ours (src/) on the stack.
 *   npm run build && DATABASE_URL=… node --import tsx bench/promoted.ts [--users 200] [--top 15]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PACED_WARMUP_S, type PacedMinute, pacedMinute, sleep, startServer } from './app-run.js';
import { npmStartFlags } from '../scripts/start-commands.js';
import { type CallFrame, label, where } from './cpu-profile.js';

/** A node of V8's sampling heap profile: its frame, the bytes sampled in it, its callees. */
interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

const { values: a } = parseArgs({
  options: { users: { type: 'string', default: '200' }, top: { type: 'string', default: '15' } },
});
if (!process.env.DATABASE_URL) throw new Error('usage: DATABASE_URL=… bench/promoted.ts [--users 200]');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-promoted-')), 'profile.json');
const server = await startServer('dist', 1, { PROMOTED_OUT: out }, [...npmStartFlags(), '--import', './bench/promoted-preload.mjs']);
let result: { profile: { head: HeapNode }; gcs: { minor: number[]; major: number[] }; error?: string };
let minute: PacedMinute;
try {
  const job = pacedMinute(server, a.users!);
  await sleep(PACED_WARMUP_S * 1000); // sampling covers the counted 60 s
  server.child.kill('SIGUSR2');
  minute = await job;
  server.child.kill('SIGUSR2');
  for (let i = 0; !fs.existsSync(out); i++) {
    if (i > 100) throw new Error('the server wrote no profile');
    await sleep(200);
  }
  result = JSON.parse(fs.readFileSync(out, 'utf8'));
  if (result.error) throw new Error(`the server's profiler: ${result.error}`);
} finally {
  server.child.kill('SIGTERM');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}

const bySite = new Map<string, number>();
const byOurs = new Map<string, number>();
let total = 0;
function walk(node: HeapNode, ours: string) {
  const here = label(node);
  const last = where(node).startsWith('src/') ? here : ours;
  if (node.selfSize > 0) {
    total += node.selfSize;
    bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
    byOurs.set(last, (byOurs.get(last) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, last);
}
walk(result.profile.head, '(none of ours on the stack)');

const ms = (xs: number[]) =>
  `${xs.length}, ${xs.reduce((s, x) => s + x, 0).toFixed(0)} ms in all, longest ${Math.max(0, ...xs).toFixed(1)} ms`;
const table = (m: Map<string, number>) =>
  [...m]
    .sort((x, y) => y[1] - x[1])
    .slice(0, Number(a.top))
    .map(([k, v]) => `  ${(v / 1e6).toFixed(2).padStart(6)} MB ${((100 * v) / total).toFixed(0).padStart(3)}%  ${k}`)
    .join('\n');
console.log(`p99 ms: ${minute.rows.map((r) => `${r.op} ${r.p99}`).join(', ')}; unexpected ${minute.unexpected}`);
console.log(`scavenges: ${ms(result.gcs.minor)}\nfull collections: ${ms(result.gcs.major)}`);
console.log(`promoted over the counted minute (sampled): ${(total / 1e6).toFixed(1)} MB\nby allocating function:\n${table(bySite)}`);
console.log(`by the last function of ours on the stack:\n${table(byOurs)}`);
