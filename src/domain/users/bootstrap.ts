/**
 * Start-up accounts (SPEC §6): `admin` is created once — from ADMIN_PASSWORD or a generated
 * password the caller prints once — and never overwritten later. CREATE_TEST_USERS adds
 * biller1 and dispatcher1 (first area) when missing.
 */
import type { Ctx } from '../context.js';
import { systemSource } from '../audit/event.js';
import { findCredentialsByUsername } from '../../storage/users.repository.js';
import { firstArea } from '../../storage/areas.repository.js';
import { generatePassword } from './password.js';
import { createUser } from './users.service.js';

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

export async function bootstrapAccounts(ctx: Ctx, opts: BootstrapOptions): Promise<BootstrapResult> {
  const created: string[] = [];
  const result: BootstrapResult = { created };
  if (!(await findCredentialsByUsername(ctx.db, 'admin'))) {
    const password = opts.adminPassword ?? generatePassword();
    await createUser(ctx, systemSource, { username: 'admin', password, role: 'admin' });
    created.push('admin');
    if (!opts.adminPassword) result.generatedAdminPassword = password;
  }
  if (opts.createTestUsers) {
    if (!(await findCredentialsByUsername(ctx.db, 'biller1'))) {
      await createUser(ctx, systemSource, { username: 'biller1', password: opts.billerPassword ?? '', role: 'biller' });
      created.push('biller1');
    }
    if (!(await findCredentialsByUsername(ctx.db, 'dispatcher1'))) {
      const area = await firstArea(ctx.db);
      await createUser(ctx, systemSource, {
        username: 'dispatcher1',
        password: opts.dispatcherPassword ?? '',
        role: 'dispatcher',
        areaId: area?.id ?? null,
      });
      created.push('dispatcher1');
    }
  }
  return result;
}
