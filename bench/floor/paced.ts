/**
 * The paced shift's floor (issue 14): --users keep-alive connections to bench/floor/server.ts, each
 * posting a scan-shaped body on the paced shift's own schedule (bench/load/pace.ts: --rate a
 * second, ±50% jitter, latency counted from when the request was due), over the same bare-socket
 * client. What its p99 is on this machine, in the same minute as the app's, is the share of the
 * app's tail that fastify, pg and the host cost before any of our work.
 *   DATABASE_URL=… node --import tsx bench/floor/server.ts --port 5077 --pool 10 &
 *   node --import tsx bench/floor/paced.ts --port 5077 --users 200 --rate 1 --seconds 60 --warmup 10
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { paceUntil } from '../load/pace.js';
import { Recorder, table } from '../load/stats.js';
import { Wire } from '../load/wire.js';

const { values: a } = parseArgs({
  options: {
    port: { type: 'string' },
    users: { type: 'string', default: '200' },
    rate: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '10' },
  },
});
const interval = 1000 / Number(a.rate);
const rec = new Recorder();
rec.countFrom = performance.now() + Number(a.warmup) * 1000;
const end = rec.countFrom + Number(a.seconds) * 1000;
let cpuFrom: NodeJS.CpuUsage | undefined; // the client's own CPU, counted after the warm-up
setTimeout(() => (cpuFrom = process.cpuUsage()), Number(a.warmup) * 1000);

await Promise.all(
  Array.from({ length: Number(a.users) }, async (_, i) => {
    const wire = new Wire('127.0.0.1', Number(a.port));
    let k = 0;
    await paceUntil(end, interval, async (due) => {
      const body = JSON.stringify({ parentCode: `SB${String(i).padStart(5, '0')}`, code: `C${i}-${k++}`, scanId: randomUUID() });
      const res = await wire
        .request('POST', '/floor', {}, body)
        .catch((err: Error) => ({ status: 0, body: { error: { code: `network:${err.message}` } } }));
      rec.record('floor', performance.now() - due, res.status, (res.body as { error?: { code?: string } } | undefined)?.error?.code);
    });
    wire.destroy();
  }),
);
const cpu = process.cpuUsage(cpuFrom);
const rows = rec.report(Number(a.seconds));
console.log(table(rows));
const n = rows[0]?.count ?? 0;
console.log(`client cpu ${n ? ((cpu.user + cpu.system) / 1000 / n).toFixed(3) : '-'} ms/request; unexpected ${rec.unexpectedTotal()}`);
