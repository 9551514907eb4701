/** Rows per delete statement in purges: short transactions, so scanning never waits behind one. */
export const DELETE_BATCH = 5_000;

/** Runs `deleteBatch` until a batch comes back short; returns the total deleted. */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, limit = DELETE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch(limit);
    total += n;
    if (n < limit) return total;
  }
}
