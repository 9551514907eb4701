/**
 * Start-up accounts (SPEC §6): `admin` is created once — from ADMIN_PASSWORD or a generated
 * password the caller prints once — and never overwritten later. CREATE_TEST_USERS adds
 * biller1 and dispatcher1 (first area) when missing.
 */
import type { Ctx } from '../context.js';
import { systemSource } from '../audit/event.js';
import { findCredentialsByUsername } from '../../storage/users.repository.js';
import { firstArea } from '../../storage/areas.repository.js';
import { isDomainError } from '../errors.js';
import { generatePassword } from './password.js';
import { createUser, type NewUserInput } from './users.service.js';

export interface BootstrapOptions {
  adminPassword?: string | undefined;
  createTestUsers?: boolean;
  billerPassword?: string | undefined;
  dispatcherPassword?: string | undefined;
}

export interface BootstrapResult {
  /** Set only when the admin was just created with a generated password: print it once. */
  generatedAdminPassword?: string;
  created: string[];
}

/**
 * Creates the account unless it exists. Several processes or machines may start at once on a
 * fresh database: the one that loses the race sees duplicate_username and leaves the winner's
 * account (and its one printed password) alone.
 */
async function ensureUser(ctx: Ctx, input: NewUserInput): Promise<boolean> {
  if (await findCredentialsByUsername(ctx.db, input.username)) return false;
  try {
    await createUser(ctx, systemSource, input);
    return true;
  } catch (err) {
    if (isDomainError(err) && err.code === 'duplicate_username') return false;
    throw err;
  }
}

export async function bootstrapAccounts(ctx: Ctx, opts: BootstrapOptions): Promise<BootstrapResult> {
  const created: string[] = [];
  const result: BootstrapResult = { created };
  const adminPassword = opts.adminPassword ?? generatePassword();
  if (await ensureUser(ctx, { username: 'admin', password: adminPassword, role: 'admin' })) {
    created.push('admin');
    if (!opts.adminPassword) result.generatedAdminPassword = adminPassword;
  }
  if (opts.createTestUsers) {
    if (await ensureUser(ctx, { username: 'biller1', password: opts.billerPassword ?? '', role: 'biller' })) created.push('biller1');
    const area = await firstArea(ctx.db);
    const dispatcher = {
      username: 'dispatcher1',
      password: opts.dispatcherPassword ?? '',
      role: 'dispatcher' as const,
      areaId: area?.id ?? null,
    };
    if (await ensureUser(ctx, dispatcher)) created.push('dispatcher1');
  }
  return result;
}
