/**
 * A/B of two builds of the app on the closed-loop scan load (issue 14): Node and PostgreSQL CPU
 * per child scan and child scans/s, in alternated runs (A, B, B, A, …), with each side's mean ± sd
 * and B − A with a rough 95% interval (ab-stats.ts). One run of one state on this machine spreads
 * ±20%, so a change of a few per cent can only be shown this way. Both servers run side by side,
 * each idle while the other is measured; the load is the one of bench/ceiling.sh (app-run.ts).
 *
 *   npm run build && cp -r dist dist-a      # state A
 *   (change the code) npm run build && cp -r dist dist-b
 *   DATABASE_URL=… node --import tsx bench/app-ab.ts --a dist-a --b dist-b [--pairs 6] [--seconds 10] [--users 8]
 *
 * A setting instead of a build: the same directory on both sides, and --a-env / --b-env
 * ('KEY=VALUE,…', over the bench's own settings), e.g. --b-env NODE_OPTIONS=--max-semi-space-size=64;
 * or node's flags: --a-node / --b-node ('FLAGS', in place of those of `npm start`; `--a-node=` for none).
 *
 * A database state instead (or as well): --a-sql / --b-sql, a SQL file run on the bench database
 * before each run of that side, e.g. two bodies of a function (both builds must work with both).
 *
 * A read instead of the scans: --read PATH (e.g. /api/dashboard/stats), sent back to back by
 * --users sessions; the figures are then per request.
 *
 * A and B are build directories inside the repository (their imports resolve to its
 * node_modules). Run bench/ceiling.sh once first: it seeds the database and makes bench_min.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { compare, sidesOfPair } from './ab-stats.js';
import { type Bench, envOf, measureApp, measureReads, nodeFlagsOf, nodeFlagsSaid, type Sample, startServer } from './app-run.js';

const { values: a } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    pairs: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '10' },
    users: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1' },
    'a-env': { type: 'string', default: '' },
    'b-env': { type: 'string', default: '' },
    'a-node': { type: 'string' },
    'b-node': { type: 'string' },
    'a-sql': { type: 'string' },
    'b-sql': { type: 'string' },
    read: { type: 'string' },
  },
});
const url = process.env.DATABASE_URL;
if (!url || !a.a || !a.b) throw new Error('usage: DATABASE_URL=… bench/app-ab.ts --a BUILD_DIR --b BUILD_DIR');
const db = new pg.Client({ connectionString: url });
await db.connect();
const bench: Bench = { db, seconds: Number(a.seconds) };
const users = Number(a.users);
const workers = Number(a.workers);
const servers = {
  A: await startServer(a.a, workers, envOf(a['a-env']!), nodeFlagsOf(a['a-node'])),
  B: await startServer(a.b, workers, envOf(a['b-env']!), nodeFlagsOf(a['b-node'])),
};

const states = { A: a['a-sql'] && fs.readFileSync(a['a-sql'], 'utf8'), B: a['b-sql'] && fs.readFileSync(a['b-sql'], 'utf8') };

const runs: Record<'A' | 'B', Sample[]> = { A: [], B: [] };
const unit = a.read ? `GET ${a.read}` : 'child scan';
const units = a.read ? 'requests' : 'child scans';
try {
  for (let i = 0; i < Number(a.pairs); i++) {
    for (const side of sidesOfPair(i)) {
      if (states[side]) await db.query(states[side]);
      const s = a.read ? await measureReads(bench, servers[side], a.read, users) : await measureApp(bench, servers[side], users);
      runs[side].push(s);
      console.log(
        `pair ${i + 1} ${side}: ${Math.round(s.scansPerSecond)} ${units}/s, Node ${s.nodeMs.toFixed(3)} ms, PostgreSQL ${s.pgMs.toFixed(3)} ms per ${unit}`,
      );
    }
  }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
  await db.end();
}
const of = (side: 'A' | 'B', k: keyof Sample) => runs[side].map((s) => s[k]);
console.log(
  `A = ${a.a} ${a['a-env']} ${a['a-sql'] ?? ''} ${nodeFlagsSaid(a['a-node'])}, ` +
    `B = ${a.b} ${a['b-env']} ${a['b-sql'] ?? ''} ${nodeFlagsSaid(a['b-node'])}, ${users} users, WORKERS=${workers}`,
);
console.log(
  [
    ...compare(`Node CPU per ${unit}`, 'ms', of('A', 'nodeMs'), of('B', 'nodeMs')),
    ...compare(`PostgreSQL CPU per ${unit}`, 'ms', of('A', 'pgMs'), of('B', 'pgMs')),
    ...compare(`${units} per second`, '/s', of('A', 'scansPerSecond'), of('B', 'scansPerSecond'), 0),
  ].join('\n'),
);
