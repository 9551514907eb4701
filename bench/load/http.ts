/**
 * A lean keep-alive JSON client for the load generator (a bare socket, or node:http:
 * fetch costs more CPU, and the generator shares the machine with the server). Each virtual
 * user keeps its own cookies and CSRF token, like a browser.
 */
import http from 'node:http';
import { parseBody, Wire } from './wire.js';

/** The seeded bench users (bench/seed.ts): billers bench_user_1…, all with this password. */
export const BENCH_USER_PREFIX = 'bench_user_';
export const BENCH_PASSWORD = 'bench-password-2026';

export interface Answer {
  status: number;
  body: any;
}

export class Session {
  private cookie = '';
  private csrf = '';
  /** Sends over `via`: a bare socket (bench/load/wire.ts), or node:http through an agent. */
  constructor(
    private readonly base: URL,
    private readonly via: http.Agent | Wire,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    return this.via instanceof Wire
      ? this.overWire(this.via, method, path, headers, payload)
      : this.overHttp(this.via, method, path, headers, payload);
  }

  private overHttp(agent: http.Agent, method: string, path: string, headers: Record<string, string>, payload?: string): Promise<Answer> {
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.base.hostname, port: this.base.port, path, method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie'];
          if (set) this.absorb(set);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: parseBody(text, res.headers['content-type'] ?? '') });
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async overWire(wire: Wire, method: string, path: string, headers: Record<string, string>, payload?: string): Promise<Answer> {
    const res = await wire.request(method, path, headers, payload);
    if (res.setCookies.length) this.absorb(res.setCookies);
    return { status: res.status, body: res.body };
  }

  private absorb(set: string[]) {
    const jar = new Map(this.cookie ? this.cookie.split('; ').map((c) => c.split('=', 2) as [string, string]) : []);
    for (const line of set) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async login(username: string, password: string): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrf = res.body.csrfToken;
  }
}
