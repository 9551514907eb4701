/**
 * Operator commands that must never be HTTP endpoints:
 *   migrate · create-user · reset-password USER · check [--fix]
 * Same configuration as the server (DATABASE_URL or the embedded DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DomainError } from './domain/errors.js';
import { systemSource } from './domain/audit/event.js';
import { ROLES, type Role } from './domain/actor.js';
import { generatePassword } from './domain/users/password.js';
import { createUser } from './domain/users/users.service.js';
import { disableTotpByUsername, resetPasswordByUsername } from './domain/users/recovery.js';
import { DataDirLockedError } from './storage/data-dir-lock.js';
import { openDatabase } from './storage/database.js';
import { migrate } from './storage/migrator.js';
import { createCtx, openConfiguredDatabase, openRedis, pgliteDirOf } from './runtime.js';
import { checkCommand, CHECK_USAGE } from './commands/check.command.js';
import { seedCommand, SEED_USAGE } from './commands/seed.command.js';
import { backupArgs, BACKUP_USAGE, verifyBackup, writeBackup } from './commands/backup.command.js';
import { restoreArgs, restoreBackup, RestoreRefused } from './commands/restore.command.js';
import { BackupFileError } from './lib/backup-file.js';
import { importLegacyCommand, IMPORT_LEGACY_USAGE } from './commands/import-legacy.command.js';

const USAGE = `Usage: tracetrack <command> [options]

Commands:
  migrate                                   apply pending database migrations
  create-user --username NAME --role ROLE [--area AREA] [--email EMAIL] [--password PW]
                                            create a user (a strong password is generated and
                                            printed when --password is not given)
  reset-password USERNAME [--password PW]   set a new password (generated when not given) and end
                                            that user's sessions; the way to recover the admin
  disable-2fa USERNAME                      turn off two-factor login for a user who lost the phone
                                            and the backup codes; ends their sessions
${CHECK_USAGE}
${SEED_USAGE}
${BACKUP_USAGE}
${IMPORT_LEGACY_USAGE}
`;

class UsageError extends Error {}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'migrate') {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pgliteDir: pgliteDirOf(config) });
    try {
      const { applied } = await migrate(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the database is up to date.');
    } finally {
      await database.close();
    }
    return 0;
  }
  if (command === 'backup' || command === 'restore') return backupOrRestore(command, rest, config);
  const database = await openConfiguredDatabase(config);
  const redis = openRedis(config);
  const ctx = createCtx({ config, database, redis });
  try {
    if (command === 'create-user') {
      const { values } = parseArgs({
        args: rest,
        options: {
          username: { type: 'string' },
          role: { type: 'string' },
          area: { type: 'string' },
          email: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.username || !values.role) throw new UsageError('create-user needs --username and --role');
      if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const password = values.password ?? generatePassword();
      const user = await createUser(ctx, systemSource, {
        username: values.username,
        password,
        role: values.role as Role,
        areaId: values.area ?? null,
        email: values.email ?? null,
      });
      console.log(`Created ${user.role} "${user.username}"${user.areaId ? ` in ${user.areaId}` : ''}.`);
      if (!values.password) console.log(`Password (shown once): ${password}`);
      return 0;
    }
    if (command === 'reset-password') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { password: { type: 'string' } } });
      const username = positionals[0];
      if (!username) throw new UsageError('reset-password needs a USERNAME');
      const password = values.password ?? generatePassword();
      await resetPasswordByUsername(ctx, username, password);
      console.log(`Password of "${username}" reset; their sessions have ended.`);
      if (!values.password) console.log(`New password (shown once): ${password}`);
      return 0;
    }
    if (command === 'disable-2fa') {
      const username = rest[0];
      if (!username) throw new UsageError('disable-2fa needs a USERNAME');
      await disableTotpByUsername(ctx, username);
      console.log(`Two-factor login of "${username}" is off; their sessions have ended. They can set it up again.`);
      return 0;
    }
    if (command === 'check') return await checkCommand(ctx, rest);
    if (command === 'seed') return await seedCommand(ctx, rest);
    if (command === 'import-legacy') return await importLegacyCommand(ctx, rest);
    throw new UsageError(`Unknown command "${command}"`);
  } finally {
    await database.close();
    redis?.disconnect();
  }
}

/** Both open the database without migrating it: backup reads it as it is, restore migrates it its own way. */
async function backupOrRestore(command: 'backup' | 'restore', rest: string[], config: Config): Promise<number> {
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  if (command === 'backup') {
    const a = backupArgs(rest);
    if (a.verify) {
      const v = await verifyBackup(a.verify);
      console.log(
        `OK: ${a.verify} is complete and unchanged — ${v.tables} tables, ${v.rows} rows, schema ${v.header.migrations.at(-1) ?? 'none'}, made ${v.header.createdAt} on ${v.header.engine}.`,
      );
      return 0;
    }
    if (!a.out) throw new UsageError('backup needs --out FILE or --verify FILE');
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pgliteDir: pgliteDirOf(config) });
    try {
      const s = await writeBackup(database, a.out, progress);
      console.log(`Backup written to ${a.out}: ${s.tables} tables, ${s.rows} rows (one snapshot).`);
    } finally {
      await database.close();
    }
    return 0;
  }
  const a = restoreArgs(rest);
  if (!a.file) throw new UsageError('restore needs a FILE');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2, pgliteDir: pgliteDirOf(config) });
  try {
    const s = await restoreBackup(database, a.file, { force: a.force, progress });
    console.log(
      `Restored ${s.rows} rows into ${s.tables} tables from ${a.file}.${s.upgraded.length ? ` Then upgraded: ${s.upgraded.join(', ')}.` : ''}`,
    );
  } finally {
    await database.close();
  }
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
    else if (err instanceof DomainError) console.error(`Refused: ${err.message} (${err.code})`);
    else if (
      err instanceof ConfigError ||
      err instanceof DataDirLockedError ||
      err instanceof RangeError ||
      err instanceof RestoreRefused ||
      err instanceof BackupFileError
    )
      console.error(err.message);
    else console.error(err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
