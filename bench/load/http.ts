/**
 * A lean keep-alive JSON client for the load generator (node:http, or with a Wire a bare socket:
 * fetch costs more CPU, and the generator shares the machine with the server). Each virtual
 * user keeps its own cookies and CSRF token, like a browser.
 */
import http from 'node:http';
import type { Wire } from './wire.js';

export interface Answer {
  status: number;
  body: any;
}

export class Session {
  private cookie = '';
  private csrf = '';
  /** Over `wire` when given (bench/load/wire.ts), else node:http through `agent`. */
  constructor(
    private readonly base: URL,
    private readonly agent: http.Agent,
    private readonly wire?: Wire,
  ) {}

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (this.wire) return this.overWire(method, path, payload);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.base.hostname, port: this.base.port, path, method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie'];
          if (set) this.absorb(set);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async overWire(method: string, path: string, payload: string | undefined): Promise<Answer> {
    let headers = 'accept: application/json\r\n';
    if (this.cookie) headers += `cookie: ${this.cookie}\r\n`;
    if (method !== 'GET' && this.csrf) headers += `x-csrf-token: ${this.csrf}\r\n`;
    const res = await this.wire!.request(method, path, headers, payload);
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
