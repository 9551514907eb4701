/**
 * Closed-loop keep-alive client for bench/floor/server.ts: --clients loops post scan-shaped bodies
 * for --seconds and print requests per second. node:http, like the app's load generator.
 *   node --import tsx bench/floor/client.ts --port 5077 --clients 8 --seconds 10
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: { port: { type: 'string' }, clients: { type: 'string', default: '8' }, seconds: { type: 'string', default: '10' } },
});
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(a.clients) });
const post = (body: string) =>
  new Promise<void>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request({ host: '127.0.0.1', port: Number(a.port), path: '/floor', method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
const end = Date.now() + Number(a.seconds) * 1000;
let done = 0;
// The running count, ten times a second: bench/ceiling.ts reads it at the edges of its window.
const progress = setInterval(() => console.log(`progress ${done}`), 100);
await Promise.all(
  Array.from({ length: Number(a.clients) }, async (_, i) => {
    for (let k = 0; Date.now() < end; k++) {
      await post(JSON.stringify({ parentCode: `SB${String(i).padStart(5, '0')}`, code: `C${i}-${k}`, scanId: crypto.randomUUID() }));
      done++;
    }
  }),
);
clearInterval(progress);
console.log(`requests ${done}`);
agent.destroy();
