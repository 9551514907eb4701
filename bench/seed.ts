/**
 * Fills a database for the benchmark (or a demo): `node --import tsx bench/seed.ts --bags 2000000`
 * with DATABASE_URL (or DATA_DIR for the embedded engine). Writes bench/.data/known-codes.json
 * for the load generator. Same as `tracetrack seed --bags N`.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openConfiguredDatabase } from '../src/runtime.js';
import { runSeed } from '../src/storage/seed.js';
import { BENCH_PASSWORD } from './load/http.js';

const { values } = parseArgs({
  options: {
    bags: { type: 'string', default: '20000' },
    users: { type: 'string', default: '300' },
    password: { type: 'string', default: BENCH_PASSWORD },
    known: { type: 'string', default: 'bench/.data/known-codes.json' },
  },
});
const database = await openConfiguredDatabase(loadConfig());
try {
  const started = performance.now();
  const result = await runSeed(database.db, { bags: Number(values.bags), users: Number(values.users), password: values.password! });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  fs.mkdirSync('bench/.data', { recursive: true });
  fs.writeFileSync(values.known!, JSON.stringify(result.known));
  console.log(JSON.stringify({ ...result.counts, seconds }));
} finally {
  await database.close();
}
