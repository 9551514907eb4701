/**
 * The permission matrix: every registered route, for anonymous and each role, is allowed or
 * denied exactly as its declared access and domain/permissions.ts say. A route added without a
 * declaration cannot even start (second test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { useTestApp } from '../helpers/setup.js';
import { Client, loginAs } from '../helpers/http.js';
import { PERMISSIONS, type Permission } from '../../src/domain/permissions.js';
import auth from '../../src/http/plugins/auth.js';
import { ROLES, type Role } from '../../src/domain/actor.js';

// One login per guarded route and role: more than the default login limit once the API grows.
const t = useTestApp({ perFile: true, config: { loginRateLimitPerMinute: 100_000 } });

function fillPath(url: string, selfId: string): string {
  return url
    .replace(/:id\b/g, selfId)
    .replace(/:code\b/g, 'SB00001')
    .replace(/:billId\b/g, 'BILL-0001')
    .replace(/:kindId\b/g, 'SB')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*$/, 'app.css');
}

test('every route answers each role as the permission table says', async () => {
  const routes = t.app.routeAccess().filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  assert.ok(routes.length >= 15, `routes found: ${routes.length}`);
  const checked: string[] = [];
  for (const route of routes) {
    const access = route.access!;
    // Anonymous
    const anon = new Client(t.app);
    const anonRes = await anon.request(route.method as 'GET', fillPath(route.url, '1'), route.method === 'GET' ? undefined : {});
    if (access === 'public') {
      assert.ok(![401, 403].includes(anonRes.statusCode) || anonRes.json?.().error?.code === 'csrf_failed', `${route.method} ${route.url} is public`);
    } else {
      const redirectedToLogin = anonRes.statusCode === 303 && String(anonRes.headers.location).startsWith('/login');
      assert.ok(anonRes.statusCode === 401 || redirectedToLogin, `${route.method} ${route.url}: anonymous got ${anonRes.statusCode}`);
    }
    if (access === 'public') continue;
    for (const role of ROLES) {
      const c = await loginAs(t.app, role as Role);
      const res = await c.request(route.method as 'GET', fillPath(route.url, c.user!.id), route.method === 'GET' ? undefined : {});
      const permission: Permission = access === 'metrics' ? 'stats.read' : access;
      const allowed = (PERMISSIONS[permission] as readonly string[]).includes(role);
      const code = res.headers['content-type']?.toString().includes('json') ? res.json().error?.code : undefined;
      if (allowed) {
        assert.notEqual(res.statusCode, 401, `${role} ${route.method} ${route.url}`);
        assert.ok(!(res.statusCode === 403 && (code === 'forbidden' || code === undefined)), `${role} should pass ${route.method} ${route.url}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
      } else {
        assert.equal(res.statusCode, 403, `${role} must be refused ${route.method} ${route.url}`);
      }
      checked.push(`${role} ${route.method} ${route.url}`);
    }
  }
  assert.ok(checked.length >= routes.length, 'each guarded route was tried for each role');
});

test('a route that declares no access makes the app refuse to start', async () => {
  const bare = Fastify();
  await bare.register(cookie, { secret: 'x'.repeat(32) });
  await bare.register(auth);
  bare.get('/leaky', async () => ({ secret: 'data' }));
  await assert.rejects(async () => { await bare.ready(); }, /must declare config\.access/);
});

test('anonymous visitors reach only /login, /health, static files and nothing else', async () => {
  const open = t.app.routeAccess().filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`);
  for (const entry of open) {
    assert.match(entry, /^(GET|HEAD|POST) (\/login|\/health|\/assets\/\*|\/api\/auth\/login)$/, `unexpected public route ${entry}`);
  }
});
