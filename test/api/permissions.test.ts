/**
 * The permission matrix: every registered route, for anonymous and each role, is allowed or
 * denied exactly as SPEC §1 says. The expected table is written out here from the SPEC, not
 * read from domain/permissions.ts, so a wrong entry there fails this test instead of being its
 * own oracle. A route added without a declaration cannot even start (second test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { useTestApp } from '../helpers/setup.js';
import { Client } from '../helpers/http.js';
import { makeUser } from '../helpers/factories.js';
import { PERMISSIONS, type Permission } from '../../src/domain/permissions.js';
import auth from '../../src/http/plugins/auth.js';
import { ROLES, type Role } from '../../src/domain/actor.js';

// Three fresh logins per route, all within one minute of the test clock: above the default 300.
const t = useTestApp({ perFile: true, config: { loginRateLimitPerMinute: 5000 } });

const ALL: Role[] = ['admin', 'biller', 'dispatcher'];
const OFFICE: Role[] = ['admin', 'biller'];
const ADMIN: Role[] = ['admin'];

/** SPEC §1, role by role, as permissions. A new permission must be added here, with its SPEC reason. */
const EXPECTED: Record<Permission, Role[]> = {
  'session.use': ALL, // every logged-in user: own session and profile
  'dashboard.read': ALL, // dispatcher: dashboard of their own area
  'bags.read': ALL, // dispatcher: search and view bags of their own area
  'scans.write': ALL, // dispatcher: scan parents/children in their own area
  'scans.unlink': OFFICE, // SPEC §3: unlink of a named child, admins and billers
  'bags.reopen': OFFICE, // SPEC §3: admins and billers may reopen a completed parent
  'bags.delete': ADMIN, // SPEC §3: deleting a bag, admin only
  'bills.read': OFFICE, // dispatcher: "No bills"
  'bills.write': OFFICE, // biller: create, fill, complete, reopen, edit bills; remove parents
  'bills.delete': ADMIN, // admin: deletes
  'users.manage': ADMIN, // admin: users
  'areas.read': ALL, // GET /api/areas: everyone logged in (SPEC §7)
  'areas.manage': ADMIN, // admins manage the list
  'audit.read': ADMIN, // admin: audit log
  'stats.read': ADMIN, // GET /api/stats/performance: admin (SPEC §7)
  'totp.manage': ADMIN, // optional TOTP two-factor for admins (SPEC §6)
  'settings.manage': ADMIN, // admin: settings
  'imports.manage': ADMIN, // admin: imports (SPEC §10)
  'exports.bags': ALL, // SPEC §10: dispatchers get their own area's bags
  'exports.bills': OFFICE, // SPEC §10: billers bags, bills and events
  'exports.events': ALL, // SPEC §10: dispatchers get their own area's events
  'exports.users': ADMIN, // SPEC §10: users, admin
  'returns.read': OFFICE, // SPEC §11: roles admin, biller
  'returns.write': OFFICE, // SPEC §1: biller "returns"
  'reports.read': ALL, // SPEC §12: the daily report, admin and biller; dispatcher their own area
  'reports.bills': OFFICE, // SPEC §12: bill summary, billers their own bills, admins any
  'reports.email': ADMIN, // SPEC §12: "send now" for admins
};

test('the permission table grants exactly what SPEC §1 says', () => {
  for (const [permission, roles] of Object.entries(PERMISSIONS)) {
    assert.deepEqual([...roles].sort(), [...(EXPECTED[permission as Permission] ?? ['<missing from EXPECTED>'])].sort(), permission);
  }
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(PERMISSIONS).sort(), 'no permission expected that the table lacks');
});

function fillPath(url: string, selfId: string): string {
  return url
    .replace(/:id\b/g, selfId)
    .replace(/:code\b/g, 'SB00001')
    .replace(/:billId\b/g, 'BILL-0001')
    .replace(/:kindId\b/g, 'SB')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*$/, 'app.css');
}

/** Three logins per route: each from its own address, so the per-IP login limit is never reached. */
let logins = 0;
async function loginFrom(role: Role): Promise<Client> {
  const user = await makeUser(t.app, { role });
  const c = new Client(t.app);
  logins += 1;
  c.remoteAddress = `10.9.${(logins >> 8) & 255}.${logins & 255}`;
  const res = await c.login(user.username);
  assert.equal(res.statusCode, 200, res.body);
  c.user = user;
  return c;
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
      assert.ok(
        ![401, 403].includes(anonRes.statusCode) || anonRes.json?.().error?.code === 'csrf_failed',
        `${route.method} ${route.url} is public`,
      );
    } else {
      const redirectedToLogin = anonRes.statusCode === 303 && String(anonRes.headers.location).startsWith('/login');
      assert.ok(anonRes.statusCode === 401 || redirectedToLogin, `${route.method} ${route.url}: anonymous got ${anonRes.statusCode}`);
    }
    if (access === 'public') continue;
    for (const role of ROLES) {
      const c = await loginFrom(role as Role);
      const res = await c.request(route.method as 'GET', fillPath(route.url, c.user!.id), route.method === 'GET' ? undefined : {});
      const permission: Permission = access === 'metrics' ? 'stats.read' : access;
      const allowed = EXPECTED[permission].includes(role);
      const code = res.headers['content-type']?.toString().includes('json') ? res.json().error?.code : undefined;
      if (allowed) {
        assert.notEqual(res.statusCode, 401, `${role} ${route.method} ${route.url}`);
        assert.ok(
          !(res.statusCode === 403 && (code === 'forbidden' || code === undefined)),
          `${role} should pass ${route.method} ${route.url}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
        );
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
  await assert.rejects(async () => {
    await bare.ready();
  }, /must declare config\.access/);
});

test('anonymous visitors reach only /login, /health, static files and nothing else', async () => {
  const open = t.app
    .routeAccess()
    .filter((r) => r.access === 'public')
    .map((r) => `${r.method} ${r.url}`);
  for (const entry of open) {
    assert.match(entry, /^(GET|HEAD|POST) (\/login|\/health|\/assets\/\*|\/api\/auth\/login)$/, `unexpected public route ${entry}`);
  }
});
