/**
 * Runs `work` again when it failed in a way worth another try (a transaction PostgreSQL chose
 * as a deadlock's victim, a race lost to another writer), up to `runs` runs in all; any other
 * error, or the last run's, is thrown as it is. `work` must leave nothing behind when it throws
 * (a rolled-back transaction does not).
 */
export async function withRetries<T>(runs: number, retryable: (err: unknown) => boolean, work: () => Promise<T>): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await work();
    } catch (err) {
      if (run >= runs || !retryable(err)) throw err;
    }
  }
}
