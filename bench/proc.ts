/**
 * CPU time from /proc, for the benchmarks that report CPU per operation (ceiling.ts, pg-ab.ts).
 * Linux only; ticks are USER_HZ (100 a second).
 */
import fs from 'node:fs';

export const TICK = 100;

/** /proc/PID/stat's fields after the command name ([0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime); undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const line = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line.slice(line.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's own CPU ticks (user + system); undefined once it is gone. */
export function cpuTicks(pid: number): number | undefined {
  const f = statFields(pid);
  return f && Number(f[11]) + Number(f[12]);
}

/** CPU ticks of the process's children that have exited and been waited for. */
export function reapedTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[13]) + Number(f[14]) : 0;
}

/** Every running process's children, by parent pid. */
export function childrenByParent(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (f) kids.set(Number(f[1]), [...(kids.get(Number(f[1])) ?? []), Number(d)]);
  }
  return kids;
}

/** The process and all its descendants. */
export function descendants(root: number): number[] {
  const kids = childrenByParent();
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i]!) ?? []));
  return out;
}

/** Time on a core, time runnable but waiting for one, and times scheduled in (/proc/…/schedstat). */
export interface SchedTotals {
  runMs: number;
  waitMs: number;
  slices: number;
}

/**
 * The schedstat of every thread of these processes, summed; gone processes count nothing. The
 * wait is the run-queue delay: woken (a socket readable, a timer due) but not yet running, which
 * on a small machine shared with PostgreSQL is part of every request's latency.
 */
export function schedTotals(pids: number[]): SchedTotals {
  const sum: SchedTotals = { runMs: 0, waitMs: 0, slices: 0 };
  for (const pid of pids) {
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const [run, wait, slices] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
        sum.runMs += run! / 1e6;
        sum.waitMs += wait! / 1e6;
        sum.slices += slices!;
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return sum;
}

/** `b − a`, as "waited W s for a core while running R s (M ms a wake-up)". */
export function describeSched(a: SchedTotals, b: SchedTotals): string {
  const run = b.runMs - a.runMs;
  const wait = b.waitMs - a.waitMs;
  const slices = Math.max(1, b.slices - a.slices);
  return `waited ${(wait / 1000).toFixed(2)} s for a core while running ${(run / 1000).toFixed(2)} s (${(wait / slices).toFixed(3)} ms a wake-up)`;
}

const DAMON = '/sys/kernel/mm/damon/admin/kdamonds';

/** The state files of the machine's DAMON threads (kdamond; none where the kernel has no DAMON sysfs). */
function damonStateFiles(): string[] {
  if (!fs.existsSync(DAMON)) return [];
  return fs
    .readdirSync(DAMON)
    .filter((d) => /^\d+$/.test(d))
    .map((d) => `${DAMON}/${d}/state`);
}

/** The state files of the DAMON threads that are running. */
export const damonRunning = (): string[] => damonStateFiles().filter((f) => fs.readFileSync(f, 'utf8').trim() === 'on');
