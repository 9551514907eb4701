/**
 * Import and export benchmark (SPEC §10) on the shared PostgreSQL, each in a fresh database
 * that is dropped afterwards:
 *   1. an import of --rows rows of each of --kinds (label_batches: blocks of 15 labels + an M444
 *      parent; bags: an SB parent row + 30 child rows naming it), streamed through
 *      POST /api/imports over HTTP: wall time and this process's peak RSS;
 *   2. an export of every bag of a database seeded with --bags bags (storage/seed.ts, the
 *      `seed` command's code): time to first byte, total time, rows, peak RSS.
 *   node --import tsx bench/imports.ts [--rows 100000] [--kinds label_batches,bags] [--bags 1000000] [--skip import|export]
 *     [--pg postgres://postgres@127.0.0.1:5432]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp, type App } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { systemSource } from '../src/domain/audit/event.js';
import { createUser } from '../src/domain/users/users.service.js';
import { openConfiguredDatabase } from '../src/runtime.js';
import { runSeed } from '../src/storage/seed.js';
import { BENCH_PASSWORD } from './load/http.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    bags: { type: 'string', default: '1000000' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    skip: { type: 'string', default: '' },
    kinds: { type: 'string', default: 'label_batches,bags' },
  },
});

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

async function withDatabase<T>(suffix: string, body: (app: App, url: string) => Promise<T>): Promise<T> {
  const name = `tt_data_bench_${process.pid}_${suffix}`;
  const admin = new pg.Client({ connectionString: `${values.pg}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${values.pg}/${name}`;
  const config = testConfig({ databaseUrl: url, dbPoolSize: 4 });
  const database = await openConfiguredDatabase(config);
  const app = await buildApp({ config, database, logger: false });
  try {
    return await body(app, url);
  } finally {
    await app.close();
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function login(app: App, base: string): Promise<{ cookie: string; csrf: string }> {
  await createUser(app.ctx, systemSource, {
    username: 'bench_admin',
    password: 'bench-admin-pass-1',
    role: 'admin',
    areaId: null,
    email: null,
  });
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench_admin', password: 'bench-admin-pass-1' }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address() as { port: number };
  return `http://127.0.0.1:${a.port}`;
}

/** Writes lines, waiting for the file to drain: a 1,000,000-row file is never held in memory. */
async function writeLines(out: fs.WriteStream, lines: Iterable<string>): Promise<void> {
  for (const line of lines) if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
}

/** A label sheet: blocks of 15 labels closed by an M444 parent row (16 rows a block). */
function* labelSheet(rows: number): Generator<string> {
  yield 'Sr. No.,QR Code\r\n';
  for (let i = 0, block = 0; i < rows; block++) {
    for (let k = 1; k <= 15 && i < rows; k++, i++) yield `${k},LABEL NO.${String(block * 15 + k).padStart(9, '0')} LOT NO.:STAR44GG\r\n`;
    if (i < rows) {
      yield `16,M444-${String(block).padStart(5, '0')}\r\n`;
      i++;
    }
  }
}

/** A bags file: an SB parent row, then its 30 children naming it (31 rows a parent). */
function* bagsSheet(rows: number): Generator<string> {
  yield 'code,type,parent_code,area\r\n';
  for (let i = 0, p = 0; i < rows; p++) {
    const parent = `SB${String(p).padStart(5, '0')}`;
    yield `${parent},parent,,\r\n`;
    i++;
    for (let k = 0; k < 30 && i < rows; k++, i++) yield `B${String(p * 30 + k).padStart(9, '0')},child,${parent},\r\n`;
  }
}

const KINDS = { label_batches: labelSheet, bags: bagsSheet } as const;

if (!values.skip.includes('import')) {
  const rows = Number(values.rows);
  for (const kind of values.kinds.split(',') as (keyof typeof KINDS)[]) {
    const file = path.join(os.tmpdir(), `tt-bench-${kind}-${process.pid}.csv`);
    const out = fs.createWriteStream(file);
    await writeLines(out, KINDS[kind](rows));
    await new Promise((r) => out.end(r));
    await withDatabase('imp', async (app) => {
      const base = await listen(app);
      const s = await login(app, base);
      const form = new FormData();
      form.append('kind', kind);
      form.append('dryRun', 'false');
      form.append('file', await fs.openAsBlob(file), `${kind}.csv`);
      peak = 0;
      const t0 = performance.now();
      const res = await fetch(`${base}/api/imports`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: form });
      const a = (await res.json()) as { created: number; linked: number; skipped: number; failed: number };
      const secs = (performance.now() - t0) / 1000;
      console.log(
        `import ${rows} ${kind} rows: ${res.status} ${secs.toFixed(1)} s (${Math.round(rows / secs)} rows/s), peak RSS ${mb(peak)}; ` +
          `created ${a.created}, linked ${a.linked}, skipped ${a.skipped}, failed ${a.failed}; load ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
      );
    });
    fs.rmSync(file, { force: true });
  }
}

if (!values.skip.includes('export')) {
  const bags = Number(values.bags);
  await withDatabase('exp', async (app) => {
    const t0 = performance.now();
    const { counts } = await runSeed(app.ctx.db, { bags, users: 5, password: BENCH_PASSWORD });
    console.log(`seeded ${counts.parents + counts.children + counts.legacy} bags in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const base = await listen(app);
    const s = await login(app, base);
    peak = 0;
    const t1 = performance.now();
    const res = await fetch(`${base}/api/exports/bags.csv`, { headers: { cookie: s.cookie } });
    let first = 0;
    let lines = 0;
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!first) first = performance.now() - t1;
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const total = (performance.now() - t1) / 1000;
    console.log(
      `export bags.csv: ${lines - 1} rows, ${mb(bytes)}; first byte ${first.toFixed(0)} ms, total ${total.toFixed(1)} s, peak RSS ${mb(peak)}`,
    );
  });
}
clearInterval(sampler);
