/** A `node --cpu-prof` profile as the bench's readers use it (profile-top.ts, profile-stalls.ts). */
import fs from 'node:fs';

/** A frame as V8's profilers give it (the CPU profile, and the sampling heap profile of promoted.ts). */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
  startTime: number;
}

/** The profile, its nodes by id and each node's parent (a frame's callers up to the root). */
export function readCpuProfile(file: string) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { prof, byId, parent };
}

/** Where a frame's code lives: its package, its file under src/, or (native). */
export const where = (n: { callFrame: CallFrame }) => {
  const u = n.callFrame.url.replace(/^file:\/\//, '');
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return m ? m[1]! : u.includes('/src/') ? `src${u.split('/src')[1]}` : u || '(native)';
};

/** A frame as one line: function, where, line. */
export const label = (n: { callFrame: CallFrame }) => `${n.callFrame.functionName || '(anon)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
