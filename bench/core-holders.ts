/**
 * The arithmetic of bench/who-held-the-cores.ts: `perf sched timehist` lines read into slices of
 * time on a core, and, for the server's main thread's waits for a core (woken, not yet running),
 * which threads held the cores meanwhile (issue 14: the paced shift's stalled loops).
 */

/** One line of `perf sched timehist`: a thread switched out at `end` (s) after `run` ms on `cpu`. */
export interface Slice {
  end: number;
  cpu: number;
  task: string;
  pid: number;
  tid: number;
  /** Woken until switched in (ms): its wait for a core before this slice. */
  delay: number;
  run: number;
}

/**
 * `    1041.617413 [0000]  node[8320/8313]   0.110   0.034   2.264`: time, cpu, task[tid/pid] (a
 * thread) or task[pid] (a main thread) or `<idle>`, then wait, sch delay and run time.
 */
const LINE = /^\s*(\d+\.\d+)\s+\[(\d+)\]\s+(?:<idle>|(.+?)\[(\d+)(?:\/(\d+))?\])\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/;

export function parseTimehist(text: string): Slice[] {
  const out: Slice[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const tid = Number(m[4] ?? 0);
    out.push({
      end: Number(m[1]),
      cpu: Number(m[2]),
      task: m[3]?.trim() ?? '<idle>',
      tid,
      pid: m[5] === undefined ? tid : Number(m[5]),
      delay: Number(m[7]),
      run: Number(m[8]),
    });
  }
  return out;
}

/** Who a slice belongs to: the server's main thread, its other threads (V8's helpers), or by command. */
export function holderOf(s: Slice, server: number): string {
  if (s.pid === server) return s.tid === server ? 'server: main thread' : 'server: other threads (V8 helpers)';
  return s.task === '<idle>' ? 'idle' : s.task;
}

export interface Holder {
  holder: string;
  /** Time on a core over the whole trace, ms. */
  runMs: number;
  /** Its own waits for a core, summed (ms). */
  delayMs: number;
  /** Time it held a core while the server's main thread waited over `minWaitMs` (ms). */
  duringWaitsMs: number;
}

/**
 * Per holder: time on a core, its own waits, and its share of the cores while the server's main
 * thread waited `minWaitMs` or more for one. Sorted by that share, then by time on a core.
 */
export function coreHolders(slices: Slice[], server: number, minWaitMs: number): { waits: number; waitMs: number; holders: Holder[] } {
  // The main thread's long waits: from (switched in − delay) to switched in, in s.
  const waits = slices
    .filter((s) => s.pid === server && s.tid === server && s.delay >= minWaitMs)
    .map((s) => {
      const inAt = s.end - s.run / 1000;
      return { from: inAt - s.delay / 1000, to: inAt };
    });
  const by = new Map<string, Holder>();
  for (const s of slices) {
    const holder = holderOf(s, server);
    const h = by.get(holder) ?? { holder, runMs: 0, delayMs: 0, duringWaitsMs: 0 };
    h.runMs += s.run;
    h.delayMs += s.delay;
    const from = s.end - s.run / 1000;
    for (const w of waits) h.duringWaitsMs += Math.max(0, Math.min(s.end, w.to) - Math.max(from, w.from)) * 1000;
    by.set(holder, h);
  }
  const holders = [...by.values()].sort((a, b) => b.duringWaitsMs - a.duringWaitsMs || b.runMs - a.runMs);
  return { waits: waits.length, waitMs: waits.reduce((n, w) => n + (w.to - w.from) * 1000, 0), holders };
}

/** The table the command prints: the first `top` holders. */
export function holdersTable(result: ReturnType<typeof coreHolders>, minWaitMs: number, top = 15): string {
  const ms = (x: number) => x.toFixed(1);
  return [
    `the server's main thread waited ${minWaitMs} ms or more for a core ${result.waits} times, ${ms(result.waitMs)} ms in all`,
    `| thread | on a core, ms | its own waits, ms | on a core while the main thread waited, ms |`,
    '|---|---|---|---|',
    ...result.holders.slice(0, top).map((h) => `| ${h.holder} | ${ms(h.runMs)} | ${ms(h.delayMs)} | ${ms(h.duringWaitsMs)} |`),
  ].join('\n');
}
