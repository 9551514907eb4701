/**
 * Who held the cores while the server's main thread waited for one (issue 14): records the
 * scheduler's switches for `--seconds` (`perf sched record`, Debian's linux-perf, as root), reads
 * them back (`perf sched timehist`) and prints, per thread, its time on a core, its own waits, and
 * its time on a core during the server's main thread's waits of `--min-wait-ms` or more. Run it
 * beside a paced minute (bench/load --mode paced) against a server started by hand.
 *   node --import tsx bench/who-held-the-cores.ts --pid SERVER_PID --seconds 30 [--min-wait-ms 2]
 *   node --import tsx bench/who-held-the-cores.ts --pid SERVER_PID --timehist FILE   (perf sched timehist's output, saved)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { coreHolders, holdersTable, parseTimehist } from './core-holders.js';

const { values: a } = parseArgs({
  options: {
    pid: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    'min-wait-ms': { type: 'string', default: '2' },
    timehist: { type: 'string' },
  },
});
if (!a.pid) throw new Error('usage: who-held-the-cores.ts --pid SERVER_PID (--seconds S | --timehist FILE) [--min-wait-ms 2]');

let text: string;
if (a.timehist) text = fs.readFileSync(a.timehist, 'utf8');
else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-sched-'));
  const data = path.join(dir, 'sched.data');
  try {
    execFileSync('perf', ['sched', 'record', '-o', data, '--', 'sleep', a.seconds!], { stdio: ['ignore', 'ignore', 'inherit'] });
    text = execFileSync('perf', ['sched', 'timehist', '-i', data], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const minWait = Number(a['min-wait-ms']);
console.log(holdersTable(coreHolders(parseTimehist(text), Number(a.pid), minWait), minWait));
