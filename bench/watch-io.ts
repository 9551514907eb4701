/**
 * Samples the disk, the kernel's dirty pages and the cores' time while a load runs, twenty times
 * a second, from /proc (no child processes: a forking sampler disturbs the tails it is meant to
 * explain), and prints one line per second: the cores' busy, iowait and steal time (steal: the
 * hypervisor ran something else on our vCPUs), writes and flushes the device completed, their
 * mean time, the most requests in flight, and the kernel's Dirty and Writeback pages. Lines up
 * with the load generator's stall seconds by wall-clock time.
 *   node --import tsx bench/watch-io.ts --seconds 80 [--device vda]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, device: { type: 'string', default: 'vda' } },
});

type Disk = { writes: number; sectors: number; writeMs: number; inFlight: number; flushes: number; flushMs: number };

/** One device's counters (Documentation/admin-guide/iostats.rst: fields 5, 7, 8, 9, 16, 17). */
function disk(device: string): Disk {
  const line = readFileSync('/proc/diskstats', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[2] === device);
  if (!line) throw new Error(`no device ${device} in /proc/diskstats`);
  const f = (i: number) => Number(line[3 + i] ?? 0);
  return { writes: f(4), sectors: f(6), writeMs: f(7), inFlight: f(8), flushes: f(15), flushMs: f(16) };
}

/** Dirty and Writeback, in kB. */
function memory(): { dirty: number; writeback: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { dirty: kb('Dirty'), writeback: kb('Writeback') };
}

/** The cores' time so far, in clock ticks (proc(5), the `cpu` line of /proc/stat). */
function cores(): { busy: number; iowait: number; steal: number; all: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, iowait, steal, all: user + nice + system + idle + iowait + irq + softirq + steal };
}

const device = String(a.device);
let cpu = cores();
const end = Date.now() + Number(a.seconds) * 1000;
let start = disk(device);
let second = Math.floor(Date.now() / 1000);
let peak = { inFlight: 0, writeback: 0, dirty: 0, slowestSliceMs: 0 };
let last = start;

const flush = (now: Disk) => {
  const writes = now.writes - start.writes;
  const flushes = now.flushes - start.flushes;
  const mean = (ms: number, n: number) => (n ? (ms / n).toFixed(1) : '-').padStart(5);
  const t = new Date(second * 1000).toISOString().slice(11, 19);
  const c = cores();
  const share = (k: 'busy' | 'iowait' | 'steal') =>
    `${String(Math.round((100 * (c[k] - cpu[k])) / Math.max(1, c.all - cpu.all))).padStart(3)}%`;
  const time = `busy ${share('busy')} iowait ${share('iowait')} steal ${share('steal')}`;
  cpu = c;
  console.log(
    `${t} ${time} | writes ${String(writes).padStart(4)} ${(((now.sectors - start.sectors) * 512) / 1e6).toFixed(1).padStart(5)} MB` +
      ` mean ${mean(now.writeMs - start.writeMs, writes)} ms | flushes ${String(flushes).padStart(3)} mean ${mean(now.flushMs - start.flushMs, flushes)} ms` +
      ` | in flight max ${String(peak.inFlight).padStart(3)} | slowest 50 ms slice ${String(peak.slowestSliceMs).padStart(4)} ms writing` +
      ` | dirty ${String(peak.dirty).padStart(7)} kB writeback max ${String(peak.writeback).padStart(6)} kB`,
  );
};

while (Date.now() < end) {
  await new Promise((r) => setTimeout(r, 50));
  const d = disk(device);
  const m = memory();
  const now = Math.floor(Date.now() / 1000);
  if (now !== second) {
    flush(d);
    start = d;
    second = now;
    peak = { inFlight: 0, writeback: 0, dirty: 0, slowestSliceMs: 0 };
  }
  peak.inFlight = Math.max(peak.inFlight, d.inFlight);
  peak.writeback = Math.max(peak.writeback, m.writeback);
  peak.dirty = Math.max(peak.dirty, m.dirty);
  // time spent writing in this slice, summed over requests: ~50 × in-flight when the device lags
  peak.slowestSliceMs = Math.max(peak.slowestSliceMs, d.writeMs - last.writeMs);
  last = d;
}
