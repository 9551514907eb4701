/**
 * One user's open-loop schedule in the paced shift (bench/load/main.ts --mode paced) and its floor
 * (bench/floor/paced.ts): the first action at a random point of the first interval, then one every
 * `intervalMs` with ±50% jitter, until `end` (performance.now()). `act` is told when its action was
 * due, so latency counts from there and a slow server cannot hide its queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function paceUntil(end: number, intervalMs: number, act: (due: number) => Promise<void>): Promise<void> {
  let next = performance.now() + Math.random() * intervalMs;
  while (next < end) {
    await sleep(Math.max(0, next - performance.now()));
    await act(next);
    next += intervalMs * (0.5 + Math.random());
  }
}
