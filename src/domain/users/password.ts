/**
 * Password policy and hashing, the same everywhere (create, reset, change, start-up accounts).
 * argon2id through @node-rs/argon2 with its defaults (m=19 MiB, t=2): ~7 ms a hash on this
 * machine, memory-hard, per-hash random salt in the PHC string.
 */
import { hash, verify } from '@node-rs/argon2';
import { DomainError } from '../errors.js';
import { COMMON_PASSWORDS, commonKey } from './common-passwords.js';
import { isWerkzeugHash, verifyWerkzeugHash } from './werkzeug-hash.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** Throws weak_password with the reason when a password breaks the policy. */
export function assertPasswordPolicy(password: string, username: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new DomainError('weak_password', `Password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new DomainError('weak_password', `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  const key = commonKey(password);
  if (key === commonKey(username) || password.toLowerCase().includes(username.toLowerCase())) {
    throw new DomainError('weak_password', 'Password must not contain the username');
  }
  if (COMMON_PASSWORDS.has(key) || COMMON_PASSWORDS.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    throw new DomainError('weak_password', 'This password is too common; choose another');
  }
}

export { isWerkzeugHash };

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* Argon2id */ });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Users imported from the old Flask TraceTrack (import-legacy) until their first login.
  if (isWerkzeugHash(passwordHash)) return verifyWerkzeugHash(passwordHash, password);
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of nothing useful: verifying against it makes "unknown user" cost the same time. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  return dummyHash;
}

/** A strong random password for generated accounts (printed once, never stored in clear). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
