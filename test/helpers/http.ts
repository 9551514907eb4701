/**
 * A browser-like client over app.inject(): keeps cookies, sends the CSRF token on every
 * state-changing request, and logs in as a role with a fresh user.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/app.js';
import type { Role } from '../../src/domain/actor.js';
import type { User } from '../../src/domain/users/user.js';
import { makeUser, PASSWORD, type UserOverrides } from './factories.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class Client {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  user: User | undefined;
  /** Sent as X-Forwarded-For-free remote address; inject lets us choose it. */
  remoteAddress = '127.0.0.1';

  constructor(readonly app: App) {}

  private absorb(res: LightMyRequestResponse) {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now() - 1000 && c.value === '');
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const opts: InjectOptions = {
      method,
      url,
      remoteAddress: this.remoteAddress,
      // Like a browser: pages are asked for as HTML, the API as JSON.
      headers: { ...(url.startsWith('/api/') ? {} : { accept: 'text/html,application/xhtml+xml' }), ...headers },
      cookies: Object.fromEntries(this.cookies),
    };
    if (method !== 'GET' && this.csrfToken && !('x-csrf-token' in headers)) opts.headers!['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) {
      if (typeof body === 'string') opts.payload = body;
      else opts.payload = body as object;
    }
    const res = await this.app.inject(opts);
    this.absorb(res);
    return res;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body, headers);
  }
  patch(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }

  /** Posts an HTML form (urlencoded) with the page's CSRF token. */
  form(url: string, fields: Record<string, string>, withCsrf = true) {
    const data = new URLSearchParams({ ...(withCsrf ? { _csrf: this.csrfToken } : {}), ...fields });
    return this.request('POST', url, data.toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': '' });
  }

  async login(username: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.statusCode === 200) this.csrfToken = res.json().csrfToken;
    return res;
  }

  /** Fetches the login page to obtain a CSRF secret cookie and token, as a browser would. */
  async openLoginPage(): Promise<void> {
    const res = await this.get('/login');
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (!m) throw new Error('no CSRF token on /login');
    this.csrfToken = m[1]!;
  }
}

/** A fresh user of the role, logged in. */
export async function loginAs(app: App, role: Role, o: UserOverrides = {}): Promise<Client> {
  const user = await makeUser(app, { ...o, role });
  const client = new Client(app);
  const res = await client.login(user.username, o.password ?? PASSWORD);
  if (res.statusCode !== 200) throw new Error(`login as ${role} failed: ${res.statusCode} ${res.body}`);
  client.user = user;
  return client;
}
