/**
 * Which slow requests of a paced run met a pause of the server's event loop (issue 14): reads the
 * load generator's `--samples` and the server's marks (bench/loop-marks.mjs) and prints, per
 * operation, how many requests took over --slow-ms, how many of those overlapped a garbage
 * collection, how many only a loop gap without one, and how many neither; and, for comparison, the
 * share of the fast requests that overlapped each (what chance alone gives).
 *   node --import tsx bench/stall-overlap.ts SAMPLES.json MARKS.json [--slow-ms 15]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { overlapTable } from './overlap.js';

const { values: a, positionals } = parseArgs({ allowPositionals: true, options: { 'slow-ms': { type: 'string', default: '15' } } });
if (positionals.length !== 2) throw new Error('usage: stall-overlap.ts SAMPLES.json MARKS.json [--slow-ms 15]');
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
console.log(overlapTable(read(positionals[0]!), read(positionals[1]!), Number(a['slow-ms'])));
