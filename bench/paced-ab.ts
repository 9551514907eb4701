/**
 * Two builds (or settings) of the server under the shift's paced load, minute by minute (issue
 * 14): both servers start, then paced minutes alternate A, B, B, A, … (ab-stats.ts), each with the
 * shift's generator (200 users at one action a second, 10 s warm-up, 60 s counted). Prints each
 * minute's p99s and, per operation, B − A of the p99 with its 95% interval. The p99s of one
 * minute move by 5–10 ms on a 2-core machine, so a difference needs several pairs to show.
 *   DATABASE_URL=… node --import tsx bench/paced-ab.ts --a dist-a --b dist-b [--pairs 4] [--users 200]
 *     [--a-env K=V,…] [--b-env K=V,…] [--a-node='FLAGS'] [--b-node='FLAGS']  (node/V8 flags of a side's
 *     server, in place of those of `npm start`; `--a-node=` runs it with none)
 */
import { parseArgs } from 'node:util';
import { compare, sidesOfPair } from './ab-stats.js';
import { envOf, nodeFlagsOf, nodeFlagsSaid, pacedMinute, startServer } from './app-run.js';
import { descendants } from './proc.js';
import { SHIFT_P99_MS } from './shift-bar.js';

const { values: a } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    pairs: { type: 'string', default: '4' },
    users: { type: 'string', default: '200' },
    'a-env': { type: 'string', default: '' },
    'b-env': { type: 'string', default: '' },
    'a-node': { type: 'string' },
    'b-node': { type: 'string' },
  },
});
if (!process.env.DATABASE_URL || !a.a || !a.b) throw new Error('usage: DATABASE_URL=… bench/paced-ab.ts --a BUILD_DIR --b BUILD_DIR');
const servers = {
  A: await startServer(a.a, 1, envOf(a['a-env']!), nodeFlagsOf(a['a-node'])),
  B: await startServer(a.b, 1, envOf(a['b-env']!), nodeFlagsOf(a['b-node'])),
};
const ops = Object.keys(SHIFT_P99_MS);
const p99s: Record<'A' | 'B', Array<Record<string, number>>> = { A: [], B: [] };
try {
  for (let i = 0; i < Number(a.pairs); i++) {
    for (const side of sidesOfPair(i)) {
      // The server's run-queue wait over the counted part, beside its p99s.
      const { rows, unexpected, waits, stalls } = await pacedMinute(
        servers[side],
        a.users!,
        `server=${descendants(servers[side].child.pid!).join(',')}`,
      );
      const minute = Object.fromEntries(ops.map((op) => [op, rows.find((r) => r.op === op)?.p99 ?? Number.NaN]));
      p99s[side].push(minute);
      console.log(
        `pair ${i + 1} ${side}: p99 ms ${ops.map((op) => `${op} ${minute[op]}`).join(', ')}; unexpected ${unexpected}\n  ${waits}${stalls ? `\n  ${stalls}` : ''}`,
      );
    }
  }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
}
const said = (side: 'a' | 'b') => `${a[side]} ${a[`${side}-env`]} ${nodeFlagsSaid(a[`${side}-node`])}`;
console.log(`A = ${said('a')}, B = ${said('b')}, ${a.users} paced users, WORKERS=1`);
for (const op of ops) {
  console.log(
    compare(
      `${op} p99`,
      'ms',
      p99s.A.map((m) => m[op]!),
      p99s.B.map((m) => m[op]!),
      2,
    ).join('\n'),
  );
}
