/** A user as the rest of the app sees it: never the password hash. */
import type { Role } from '../actor.js';

export interface User {
  id: string;
  username: string;
  email: string | null;
  role: Role;
  areaId: string | null;
  active: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Two-factor login is on (the secret itself never leaves storage/totp.repository.ts). */
  totpEnabled: boolean;
}

/** The few extra fields login needs; stays inside the auth use case. */
export interface UserCredentials extends User {
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
