/**
 * Password hashes of the old Flask TraceTrack (werkzeug.security), verified with node:crypto so
 * imported users keep their passwords; auth.service re-hashes them to argon2id at the first
 * successful login. Format: `METHOD$SALT$HEX`, the salt used as its UTF-8 text:
 *   pbkdf2:HASH[:ITERATIONS]  PBKDF2-HMAC, key length = the digest's (werkzeug's default 600000 / older 260000)
 *   scrypt[:N:R:P]            scrypt, 64-byte key (defaults N=32768, r=8, p=1)
 */
import { pbkdf2Sync, scryptSync, timingSafeEqual, getHashes } from 'node:crypto';

export function isWerkzeugHash(hash: string): boolean {
  return /^(pbkdf2:[a-z0-9_-]+(:\d+)?|scrypt(:\d+:\d+:\d+)?)\$[^$]+\$[0-9a-f]+$/.test(hash);
}

export function verifyWerkzeugHash(stored: string, password: string): boolean {
  if (!isWerkzeugHash(stored)) return false;
  const [method, salt, hex] = stored.split('$') as [string, string, string];
  const expected = Buffer.from(hex, 'hex');
  const parts = method.split(':');
  let actual: Buffer;
  try {
    if (parts[0] === 'pbkdf2') {
      const digest = parts[1]!;
      const iterations = parts[2] ? Number(parts[2]) : 600_000;
      if (!getHashes().includes(digest) || iterations < 1 || iterations > 10_000_000) return false;
      actual = pbkdf2Sync(password, salt, iterations, expected.length, digest);
    } else {
      const [n, r, p] = parts.length === 4 ? (parts.slice(1).map(Number) as [number, number, number]) : [32768, 8, 1];
      if (n > 2 ** 20 || r > 64 || p > 16) return false;
      actual = scryptSync(password, salt, expected.length, { N: n, r, p, maxmem: 132 * n * r * p + 1024 * 1024 });
    }
  } catch {
    return false;
  }
  return actual.length === expected.length && expected.length >= 16 && timingSafeEqual(actual, expected);
}
