/**
 * One keep-alive HTTP/1.1 connection on a bare socket, for the load generator (issue 14). It
 * shares two cores with the server and PostgreSQL, and through node:http it cost ~0.2 ms of CPU
 * per scan — more than pgbench's own client per transaction — so its load took a part of the
 * machine the server needed. Here a request is one string written to the socket and the answer
 * is read off the bytes: the status line, the headers the generator needs (content-length,
 * content-type, set-cookie) and the body. One request at a time per connection, as a handheld
 * sends them; replies must carry content-length (the app's JSON replies do) or be 204 / 304.
 */
import net from 'node:net';

export interface WireAnswer {
  status: number;
  /** The body, parsed when it is JSON (parseBody). */
  body: any;
  /** The response's set-cookie values (empty when none). */
  setCookies: string[];
}

/** A reply's body as the generator reads it: parsed when its content-type says JSON, else the text. */
export function parseBody(text: string, contentType: string): unknown {
  if (!text || !contentType.toLowerCase().includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface Pending {
  resolve: (a: WireAnswer) => void;
  reject: (e: Error) => void;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const TIMEOUT_MS = 30_000;

export class Wire {
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends one request (a new connection if the last one closed) and resolves with its answer. */
  request(method: string, path: string, headers: Record<string, string>, payload?: string): Promise<WireAnswer> {
    if (this.pending) return Promise.reject(new Error('wire: one request at a time'));
    const socket = this.socket ?? this.connect();
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (payload !== undefined) head += `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`;
    return new Promise<WireAnswer>((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(`${head}\r\n${payload ?? ''}`);
    });
  }

  /** Closes the connection (named as http.Agent's, so the generator ends both alike). */
  destroy(): void {
    const socket = this.socket;
    this.drop(new Error('connection closed'));
    socket?.destroy();
  }

  /** Forgets the connection and its buffer, and fails the request in flight with `err`. */
  private drop(err: Error): void {
    this.socket = undefined;
    this.buf = Buffer.alloc(0);
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.answer();
    });
    const lost = (err?: Error) => {
      if (this.socket === socket) this.drop(err ?? new Error('connection closed')); // else dropped already (destroy(), or its error came first)
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    this.socket = socket;
    return socket;
  }

  /** Resolves the pending request once its whole reply is in the buffer. */
  private answer(): void {
    const end = this.buf.indexOf(HEAD_END);
    if (end < 0 || !this.pending) return;
    const head = this.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    // 204 and 304 replies have no body, and need not say so
    const declared = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    const length = status === 204 || status === 304 ? 0 : declared === undefined ? undefined : Number(declared);
    if (length === undefined) {
      this.socket?.destroy(new Error(`wire: a reply without content-length: ${head.split('\r\n', 1)[0]}`));
      return;
    }
    const total = end + 4 + length;
    if (this.buf.length < total) return;
    const text = this.buf.toString('utf8', end + 4, total);
    this.buf = this.buf.length === total ? Buffer.alloc(0) : this.buf.subarray(total);
    const body = parseBody(text, /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1] ?? '');
    const setCookies = [...head.matchAll(/\r\nset-cookie: *([^\r]*)/gi)].map((m) => m[1]!);
    const p = this.pending;
    this.pending = undefined;
    p.resolve({ status, body, setCookies });
    if (/\r\nconnection: *close/i.test(head)) this.destroy();
  }
}
