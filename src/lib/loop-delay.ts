/**
 * Event-loop delay as the wait beyond the sampling tick. node:perf_hooks' histogram records each
 * tick's whole interval, so an idle loop sampled every 10 ms reads ~10 ms at p50 and ~13 at p99;
 * taking the tick away leaves what a request waiting for the loop would have waited.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export const LOOP_TICK_MS = 10;

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export interface LoopDelayMonitor {
  read(): LoopDelay;
  stop(): void;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Starts sampling now; `read()` gives milliseconds beyond the tick, rounded to 0.01. */
export function monitorLoopDelay(): LoopDelayMonitor {
  const h: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_TICK_MS });
  h.enable();
  const beyond = (ns: number) => round(Math.max(0, ns / 1e6 - LOOP_TICK_MS));
  return {
    read: () =>
      h.count ? { p50: beyond(h.percentile(50)), p99: beyond(h.percentile(99)), max: beyond(h.max) } : { p50: 0, p99: 0, max: 0 },
    stop: () => h.disable(),
  };
}
