/** pgbench's command line for a script of this folder against DATABASE_URL (ceiling.ts, pg-ab.ts). */
export interface PgbenchRun {
  clients: number;
  seconds: number;
  /** simple, extended or prepared (pgbench -M). */
  mode: string;
  /** A script of bench/pgbench/, from the repository root. */
  file: string;
}

/** The arguments, and the environment entry that carries the URL's password. */
export function pgbenchCommand(url: string, run: PgbenchRun): { args: string[]; env: { PGPASSWORD: string } } {
  const u = new URL(url);
  const args = ['-n', '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
  args.push('-c', String(run.clients), '-j', '2', '-T', String(run.seconds), '-M', run.mode, '-f', run.file, u.pathname.slice(1));
  return { args, env: { PGPASSWORD: decodeURIComponent(u.password) } };
}
