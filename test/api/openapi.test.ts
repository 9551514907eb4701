/** The OpenAPI document at /api/docs/json lists every /api route with its request and response schemas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, loginAs } from '../helpers/http.js';
import { useTestApp } from '../helpers/setup.js';

const t = useTestApp({ perFile: true });

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

test('every /api route is documented, with its inputs and a success response schema', async () => {
  const res = await (await loginAs(t.app, 'biller')).get('/api/docs/json');
  assert.equal(res.statusCode, 200);
  const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
  assert.match(doc.openapi, /^3\./);
  const routes = t.app.routeAccess().filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
  assert.ok(routes.length >= 40, `found ${routes.length} /api routes`);
  for (const r of routes) {
    const name = `${r.method} ${r.url}`;
    const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    assert.ok(op, `${name} is missing from the OpenAPI document`);
    for (const param of r.url.match(/:[A-Za-z]+/g) ?? []) {
      const p = op.parameters?.find((x) => x.in === 'path' && x.name === param.slice(1));
      assert.ok(p?.schema, `${name}: path parameter ${param} has a schema`);
    }
    for (const q of op.parameters?.filter((x) => x.in === 'query') ?? []) assert.ok(q.schema, `${name}: query ${q.name} has a schema`);
    if (op.requestBody) {
      const body = op.requestBody.content['application/json']?.schema;
      assert.equal(body?.type, 'object', `${name}: JSON request body schema`);
    }
    const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
    assert.ok(success.length > 0, `${name} documents a success response`);
    for (const [status, response] of success) {
      if (status === '204') continue;
      const schemas = Object.values(response.content ?? {}).map((c) => c.schema);
      if (!r.url.endsWith('.csv')) assert.ok(schemas.length > 0 && schemas.every(Boolean), `${name}: ${status} response schema`);
    }
  }
  // Bodies the contract names are documented field by field.
  const scan = doc.paths['/api/scans/child']!.post!.requestBody!.content['application/json']!.schema as { properties: Schema };
  assert.deepEqual(Object.keys(scan.properties).sort(), ['code', 'parentCode', 'scanId']);
  const list = doc.paths['/api/bags']!.get!.parameters!.map((p) => p.name).sort();
  assert.deepEqual(list, ['area', 'billed', 'cursor', 'from', 'limit', 'linked', 'q', 'status', 'to', 'type', 'user']);
});

test('the browsable page and the JSON are for logged-in users only', async () => {
  assert.equal((await new Client(t.app).get('/api/docs/json')).statusCode, 401);
  const page = await (await loginAs(t.app, 'dispatcher')).get('/api/docs');
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
});
