/**
 * Fuzz suite (issue 12, SPEC §8 "no input produces a 5xx"): every operation of the OpenAPI
 * document, as admin, biller, dispatcher and anonymous (with a valid CSRF token when logged in),
 * with generated values, boundary values, wrong types, huge strings, odd Unicode and broken
 * bodies. Any 5xx fails the test with the seed and the request that produced it.
 *   FUZZ_REQUESTS=20000 FUZZ_SEED=123 node scripts/run-tests.mjs test/fuzz/openapi.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { usingPostgres } from '../helpers/database.js';
import { scanChild, scanParent } from '../helpers/scans.js';
import { brokenBody, Generator, prng, type Schema } from './generate.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? (usingPostgres ? 300 : 600));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
// Fuzzed logouts and password changes end sessions often: the re-logins must not meet the login limit.
const t = useTestApp({ perFile: true, config: { loginRateLimitPerMinute: 100_000 } });

/** encodeURIComponent, but a lone surrogate (which it refuses) goes out as invalid UTF-8 bytes. */
const encodePath = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return v
      .split('')
      .map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
      .join('');
  }
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
type Role = 'admin' | 'biller' | 'dispatcher' | 'anonymous';
const ROLES: Role[] = ['admin', 'biller', 'dispatcher', 'anonymous'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

test(`fuzz: ${REQUESTS} generated requests over every OpenAPI operation give no 5xx`, { timeout: 3_600_000 }, async () => {
  console.log(`# fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS})`);
  const rng = prng(SEED);
  const doc = t.app.swagger() as {
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components?: { schemas?: Record<string, Schema> };
  };

  // Fixture data: a parent with a child, a bill with the parent, so known values reach deep.
  const clients = new Map<Role, Client>();
  const login = async (role: Role) => {
    const c = role === 'anonymous' ? new Client(t.app) : await loginAs(t.app, role);
    clients.set(role, c);
    return c;
  };
  for (const role of ROLES) await login(role);
  const admin = clients.get('admin')!;
  await scanParent(admin, 'SB00001');
  await scanChild(admin, 'SB00001', 'C0000001');
  await admin.post('/api/bills', { billId: 'BILL-FUZZ-1', capacity: 5, destination: 'Fuzz' });
  const known = ['SB00001', 'C0000001', 'BILL-FUZZ-1', 'lucknow', 'SB', 'CHILD', '1', '2', String(admin.user!.id)];
  const gen = new Generator(rng, doc.components?.schemas ?? {}, known);

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    METHODS.filter((m) => ops[m]).map((m) => ({ path, method: m, op: ops[m]! })),
  );
  assert.ok(operations.length > 30, `the document lists the API (${operations.length} operations)`);
  const hits = new Map<string, number>();
  const failures: string[] = [];

  for (let i = 0; i < REQUESTS; i++) {
    // Round-robin over operations, so every one gets its share whatever the count.
    const { path, method, op } = operations[i % operations.length]!;
    const role = ROLES[Math.floor(i / operations.length) % ROLES.length]!;
    const client = clients.get(role)!;
    const params = op.parameters ?? [];
    const url =
      path.replace(/\{(\w+)\}/g, (_, name: string) => encodePath(gen.param(params.find((p) => p.name === name)?.schema))) +
      (() => {
        const q = new URLSearchParams();
        for (const p of params.filter((x) => x.in === 'query')) if (p.required || rng.chance(0.6)) q.append(p.name, gen.param(p.schema));
        if (rng.chance(0.1)) q.append(rng.pick(['x', 'limit', 'cursor', '__proto__']), gen.param(undefined));
        const s = q.toString();
        return s ? `?${s}` : '';
      })();
    const headers: Record<string, string> = { accept: rng.pick(['application/json', '*/*', 'text/html', 'application/json, text/html']) };
    if (role !== 'anonymous' && method !== 'get') headers['x-csrf-token'] = client.csrfToken;
    const opts: InjectOptions = {
      method: method.toUpperCase() as InjectOptions['method'],
      url,
      headers,
      cookies: Object.fromEntries(client.cookies),
    };
    const json = op.requestBody?.content?.['application/json']?.schema;
    if (method !== 'get' && method !== 'delete' ? true : rng.chance(0.1)) {
      const kind = rng.int(0, 9);
      if (kind < 3 && json) opts.payload = JSON.stringify(gen.valid(json));
      else if (kind < 7 && json) opts.payload = JSON.stringify(gen.mutated(json));
      else if (kind < 8) opts.payload = JSON.stringify(gen.wrong());
      else {
        const b = brokenBody(rng);
        opts.payload = b.payload;
        headers['content-type'] = b.contentType;
      }
      if (!headers['content-type']) headers['content-type'] = 'application/json';
    }
    const what = `#${i} ${role} ${opts.method} ${url} ${headers['content-type'] ?? ''} ${String(opts.payload ?? '').slice(0, 300)}`;
    hits.set(`${method} ${path}`, (hits.get(`${method} ${path}`) ?? 0) + 1);
    const res = await t.app.inject(opts).catch((err: Error) => ({ statusCode: 599, body: `no answer: ${err.message}` }));
    if (res.statusCode >= 500) {
      failures.push(`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (failures.length >= 20) break;
    }
    // A fuzzed logout, password change or disabled account ends a session: log in afresh.
    if (role !== 'anonymous' && res.statusCode === 401) await login(role);
  }
  console.log(`# fuzz: ${[...hits.values()].reduce((a, b) => a + b, 0)} requests over ${hits.size} operations, ${failures.length} 5xx`);
  assert.deepEqual(failures, [], `5xx answers (seed ${SEED})`);
  assert.equal(hits.size, operations.length, 'every operation was fuzzed');
  // Still serving after all of it.
  assert.equal((await t.app.inject({ method: 'GET', url: '/health?check_db=true' })).statusCode, 200);
});
