/**
 * One scanning client of the chaos test: child scans into its own parents, each with a scanId
 * kept across retries; 401 → log in again, 5xx / network error → wait and send the same scanId.
 */
import { randomUUID } from 'node:crypto';

export interface Ack {
  code: string;
  parent: string;
  outcome: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ScanClient {
  readonly acks: Ack[] = [];
  /** Scans that needed at least one retry. */
  retries = 0;
  /** Statuses other than 200/401/503 and network errors, by status: the test wants no 500. */
  readonly odd = new Map<string, number>();
  private cookie = '';
  private csrf = '';
  private parent: string | undefined;
  private parentSeq = 0;
  private childSeq = 0;
  private pending: { code: string; scanId: string; tries: number } | undefined;

  constructor(
    private readonly base: string,
    private readonly username: string,
    private readonly password: string,
    private readonly id: number,
  ) {}

  async start() {
    while (!(await this.login())) await sleep(200);
  }

  private async login(): Promise<boolean> {
    const res = await this.send('/api/auth/login', { username: this.username, password: this.password }, false);
    if (res?.status !== 200) return false;
    this.cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return true;
  }

  private async send(path: string, body: unknown, auth = true): Promise<Response | undefined> {
    try {
      return await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { cookie: this.cookie, 'x-csrf-token': this.csrf } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      return undefined; // connection reset (worker killed), refused, timed out
    }
  }

  private note(what: string) {
    this.odd.set(what, (this.odd.get(what) ?? 0) + 1);
  }

  /** Handles an answer that decided nothing; returns how long to wait before the same request. */
  private async afterFailure(res: Response | undefined): Promise<number> {
    if (!res) return 100;
    if (
      res.status === 401 ||
      (res.status === 403 &&
        (
          (await res
            .clone()
            .json()
            .catch(() => ({}))) as { error?: { code?: string } }
        ).error?.code === 'csrf_failed')
    ) {
      await this.login();
      return 0;
    }
    if (res.status !== 503) this.note(String(res.status));
    return Math.min(Number(res.headers.get('retry-after') ?? 0.2) * 1000, 500);
  }

  private async ensureParent(): Promise<void> {
    while (!this.parent) {
      const code = `SB${String(this.id).padStart(2, '0')}${String(++this.parentSeq).padStart(3, '0')}`;
      const scanId = randomUUID();
      for (;;) {
        const res = await this.send('/api/scans/parent', { code, scanId });
        if (res?.status === 200) {
          this.parent = code;
          break;
        }
        if (res?.status === 409) break; // taken or full: the next code
        await sleep(await this.afterFailure(res));
      }
    }
  }

  /** One try of the pending child scan (made on first call); true once it is acknowledged. */
  async tryOnce(): Promise<boolean> {
    await this.ensureParent();
    if (!this.pending)
      this.pending = {
        code: `X${String(this.id).padStart(2, '0')}${String(++this.childSeq).padStart(6, '0')}`,
        scanId: randomUUID(),
        tries: 0,
      };
    const p = this.pending;
    if (++p.tries === 2) this.retries++;
    const res = await this.send('/api/scans/child', { parentCode: this.parent, code: p.code, scanId: p.scanId });
    if (res?.status === 200) {
      const body = (await res.json()) as { outcome: string; parent?: { status: string } };
      this.acks.push({ code: p.code, parent: this.parent!, outcome: body.outcome });
      if (body.parent?.status === 'completed') this.parent = undefined;
      this.pending = undefined;
      return true;
    }
    if (res?.status === 409) {
      // A refusal is a decision (parent full…): this code goes into the next parent, as a new scan.
      this.parent = undefined;
      this.pending = { ...p, scanId: randomUUID() };
      return false;
    }
    await sleep(await this.afterFailure(res));
    return false;
  }

  /** Scans one child until acknowledged (gives up after a minute, which the test would notice). */
  async scanNext(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) if (await this.tryOnce()) return;
    this.note('gave up');
  }
}
