/**
 * Summarises a `node --cpu-prof` profile: busy share, top self-time frames, and inclusive time of
 * frames by package (where the milliseconds go). Usage: node --import tsx bench/profile-top.ts FILE.cpuprofile [N]
 */
import { label, readCpuProfile, where } from './cpu-profile.js';

const { prof, byId, parent } = readCpuProfile(process.argv[2]!);
const top = Number(process.argv[3] ?? 25);
const self = new Map<number, number>();
for (const [i, id] of prof.samples.entries()) self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...self.values()].reduce((s, v) => s + v, 0);
const idle = [...self].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));
const ms = (us: number) => (us / 1000).toFixed(0);
console.log(`total ${ms(total)} ms; ${idle.map(([id, v]) => `${byId.get(id)!.callFrame.functionName} ${ms(v)}`).join(', ')}`);
const selfBy = new Map<string, number>();
for (const [id, v] of self) {
  const k = label(byId.get(id)!);
  selfBy.set(k, (selfBy.get(k) ?? 0) + v);
}
console.log('\nself time:');
for (const [k, v] of [...selfBy].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${ms(v).padStart(7)} ms  ${k}`);
// Inclusive per package: a sample counts once for each package on its stack.
const incl = new Map<string, number>();
const inclFn = new Map<string, number>();
for (const [id, v] of self) {
  const pk = new Set<string>();
  const fn = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const node = byId.get(n)!;
    pk.add(where(node).replace(/:\d+$/, ''));
    fn.add(label(node));
  }
  for (const k of pk) incl.set(k, (incl.get(k) ?? 0) + v);
  for (const k of fn) inclFn.set(k, (inclFn.get(k) ?? 0) + v);
}
console.log('\ninclusive by package/file:');
for (const [k, v] of [...incl].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${ms(v).padStart(7)} ms  ${k}`);
console.log('\ninclusive by function:');
for (const [k, v] of [...inclFn].sort((x, y) => y[1] - x[1]).slice(0, top * 2)) console.log(`${ms(v).padStart(7)} ms  ${k}`);
const selfPk = new Map<string, number>();
for (const [id, v] of self) {
  const k = where(byId.get(id)!).replace(/:\d+$/, '');
  selfPk.set(k, (selfPk.get(k) ?? 0) + v);
}
console.log('\nself time by package/file:');
for (const [k, v] of [...selfPk].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${ms(v).padStart(7)} ms  ${k}`);
