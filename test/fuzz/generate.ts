/**
 * Request generation for the fuzz suite, from the OpenAPI document only (so a route added later
 * is fuzzed without touching this file): values that fit each schema, boundary values, wrong
 * types, huge strings, odd Unicode, injection strings, and broken bodies. Seeded, repeatable.
 */

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof prng>;

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  $ref?: string;
}

export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202eSB00001',
  'SB\u200b00001',
  '😀👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  'İıß',
  'ＳＢ００００１',
  '\r\n\t',
  '\\',
  '"',
  "' OR '1'='1",
  "'; drop table bags; --",
  '%00',
  '%',
  '../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '9'.repeat(40),
  '1e309',
  '2026-13-45T99:99:99Z',
  'x'.repeat(300),
];
const ODD_NUMBERS = [0, -1, 1, -0, 0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 1e-300];

export class Generator {
  constructor(
    private readonly rng: Rng,
    private readonly components: Record<string, Schema>,
    /** Real codes, ids and names from the fixture data, so some requests reach deep. */
    private readonly known: string[],
  ) {}

  private resolve(s: Schema): Schema {
    if (!s.$ref) return s;
    return this.components[s.$ref.split('/').pop()!] ?? {};
  }

  /** A value meant to fit the schema (often at its edges). */
  valid(schema: Schema, depth = 0): unknown {
    const s = this.resolve(schema);
    const r = this.rng;
    if (s.const !== undefined) return s.const;
    if (s.enum) return r.pick(s.enum);
    const union = s.anyOf ?? s.oneOf;
    if (union) return this.valid(r.pick(union), depth);
    if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => this.valid(x, depth)));
    const type = Array.isArray(s.type) ? r.pick(s.type) : (s.type ?? (s.properties ? 'object' : 'string'));
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return r.chance(0.5);
      case 'integer':
      case 'number': {
        const lo = s.minimum ?? -1000;
        const hi = s.maximum ?? 100_000;
        const v = r.pick([lo, hi, 0, 1, r.int(Math.max(lo, -1000), Math.min(hi, 100_000))]);
        return type === 'integer' ? Math.round(v) : r.chance(0.3) ? v + 0.5 : v;
      }
      case 'array': {
        if (depth > 3) return [];
        const n = r.int(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4));
        return Array.from({ length: n }, () => this.valid(s.items ?? {}, depth + 1));
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(s.properties ?? {})) {
          if (s.required?.includes(k) || r.chance(0.6)) out[k] = depth > 4 ? null : this.valid(v, depth + 1);
        }
        return out;
      }
      default:
        return this.string(s);
    }
  }

  private string(s: Schema): string {
    const r = this.rng;
    if (s.format === 'uuid') return r.chance(0.9) ? crypto.randomUUID() : r.pick(ODD_STRINGS);
    if (s.format === 'date-time')
      return r.pick([new Date().toISOString(), '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z']);
    if (s.format === 'date') return r.pick(['2026-01-01', '1900-01-01', '2026-02-30']);
    const max = s.maxLength ?? 64;
    const min = s.minLength ?? 0;
    switch (r.int(0, 5)) {
      case 0:
        return r.pick(this.known);
      case 1:
        return 'x'.repeat(Math.min(max, 5000));
      case 2:
        return 'y'.repeat(min);
      case 3:
        return r.pick(ODD_STRINGS);
      default:
        return Array.from({ length: r.int(min, Math.min(max, 24)) }, () =>
          String.fromCharCode(r.pick([r.int(48, 57), r.int(65, 90), r.int(97, 122), r.int(0x20, 0x7e), r.int(0xa0, 0x2fff)])),
        ).join('');
    }
  }

  /** Anything at all, most likely of the wrong type. */
  wrong(depth = 0): unknown {
    const r = this.rng;
    switch (r.int(0, 7)) {
      case 0:
        return r.pick(ODD_NUMBERS);
      case 1:
        return r.pick(ODD_STRINGS);
      case 2:
        return r.chance(0.5);
      case 3:
        return null;
      case 4:
        return depth > 2 ? [] : [this.wrong(depth + 1), this.wrong(depth + 1)];
      case 5:
        return depth > 2 ? {} : { [r.pick(['a', '__proto__', 'constructor', 'code'])]: this.wrong(depth + 1) };
      case 6:
        return 'z'.repeat(r.pick([1000, 70_000]));
      default:
        return r.pick(this.known);
    }
  }

  /** A valid value with some fields replaced, dropped or added. */
  mutated(schema: Schema): unknown {
    const r = this.rng;
    const v = this.valid(schema);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return r.chance(0.5) ? this.wrong() : v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const op = r.int(0, 3);
    if (op === 0 && keys.length) o[r.pick(keys)] = this.wrong();
    else if (op === 1 && keys.length) delete o[r.pick(keys)];
    else if (op === 2) o[r.pick(['extra', 'isAdmin', 'role', 'id', 'constructor'])] = this.wrong();
    else for (const k of keys) o[k] = this.wrong();
    return o;
  }

  /** A path or query parameter value, as text. */
  param(schema: Schema | undefined): string {
    const r = this.rng;
    const v = r.chance(0.7) ? this.valid(schema ?? { type: 'string' }) : this.wrong();
    return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  }
}

/** Raw bodies no schema describes: broken JSON, wrong content types, broken multipart. */
export function brokenBody(rng: Rng): { payload: string | Buffer; contentType: string } {
  const boundary = `----fuzz${rng.int(0, 1e9)}`;
  return rng.pick([
    () => ({ payload: '{"code": "SB00001", ', contentType: 'application/json' }),
    () => ({ payload: '{"a":}', contentType: 'application/json' }),
    () => ({ payload: 'NaN', contentType: 'application/json' }),
    () => ({ payload: '', contentType: 'application/json' }),
    () => ({ payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', contentType: 'application/json' }),
    () => ({ payload: '['.repeat(5000), contentType: 'application/json' }),
    () => ({ payload: JSON.stringify({ a: 'x'.repeat(2_000_000) }), contentType: 'application/json' }),
    () => ({ payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]), contentType: 'application/json; charset=utf-8' }),
    () => ({ payload: '{"code":"SB00001"}', contentType: 'application/json; charset=latin-7' }),
    () => ({ payload: 'code=SB00001&code=SB00002&__proto__[x]=1', contentType: 'application/x-www-form-urlencoded' }),
    () => ({ payload: '<xml/>', contentType: 'application/xml' }),
    () => ({ payload: 'plain', contentType: 'text/plain' }),
    () => ({
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004garbage`,
      contentType: `multipart/form-data; boundary=${boundary}`,
    }),
    () => ({ payload: `--${boundary}--garbage`, contentType: 'multipart/form-data' }),
    () => ({ payload: 'x', contentType: `multipart/form-data; boundary=${'b'.repeat(200)}` }),
  ])();
}
