/**
 * Waiting for a condition instead of for a fixed time: a fixed sleep is too short on a busy
 * machine (a fresh clone's test run failed once that way) and too long on an idle one.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 2; !(await condition()); pause = Math.min(pause * 2, 100)) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}
