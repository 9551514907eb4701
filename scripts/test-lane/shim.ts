/**
 * `node:test` as the test files of a lane see it (scripts/test-lane/lane.ts). While a file is
 * being imported, its top-level tests and hooks (its own and those its helpers register, such
 * as useTestApp's) are recorded instead of registered; the lane then replays them inside a
 * `describe` for that file, so a file's before/beforeEach/after apply to its tests only, as when
 * the file had a process of its own. Outside a file's import, they are node:test's own.
 */
import * as real from 'node:test';

type Kind = 'test' | 'it' | 'describe' | 'suite' | 'before' | 'after' | 'beforeEach' | 'afterEach';

interface Recording {
  /** The test file being imported: a registration from anywhere else is module state of a shared helper. */
  file: string;
  calls: Array<() => void>;
  strays: string[];
}

let recording: Recording | undefined;
/** The per-test time limit of the runner (--test-timeout); the file's suite itself has none. */
let timeoutMs = Number.POSITIVE_INFINITY;

export function startRecording(file: string, timeout: number): Recording {
  timeoutMs = timeout;
  recording = { file, calls: [], strays: [] };
  return recording;
}

export function stopRecording(): void {
  recording = undefined;
}

const isHook = (kind: Kind) => kind === 'before' || kind === 'after' || kind === 'beforeEach' || kind === 'afterEach';

/** The arguments with the runner's time limit added to the options (a test's own limit wins). */
function withTimeout(kind: Kind, args: unknown[]): unknown[] {
  const limit = { timeout: timeoutMs };
  if (isHook(kind)) {
    const [fn, options] = args;
    return [fn, { ...limit, ...(options as object | undefined) }];
  }
  if (kind === 'describe' || kind === 'suite') return args; // its tests get the limit where they are registered
  const at = args.findIndex((a) => typeof a === 'object' && a !== null);
  if (at >= 0) return args.map((a, i) => (i === at ? { ...limit, ...(a as object) } : a));
  const fnAt = args.findIndex((a) => typeof a === 'function');
  const name = typeof args[0] === 'string' ? [args[0]] : [];
  return fnAt >= 0 ? [...name, limit, ...args.slice(fnAt)] : [...name, limit];
}

type AnyFn = (...args: unknown[]) => unknown;

function wrap<F>(kind: Kind, original: F, extra: Record<string, unknown> = {}): F {
  const fn = original as unknown as AnyFn;
  const wrapped = (...args: unknown[]) => {
    if (!recording) return fn(...args);
    const stack = new Error().stack ?? '';
    if (!stack.includes(recording.file)) recording.strays.push(`${kind} registered by a module the test files share:\n${stack}`);
    const withLimit = withTimeout(kind, args);
    recording.calls.push(() => fn(...withLimit));
    return Promise.resolve();
  };
  return Object.assign(wrapped, extra) as unknown as F;
}

const variants = (kind: Kind, fn: typeof real.test) => ({
  skip: wrap(kind, fn.skip),
  todo: wrap(kind, fn.todo),
  only: wrap(kind, fn.only),
});

export const test = wrap('test', real.test, variants('test', real.test));
export const it = wrap('it', real.it, variants('it', real.it));
export const describe = wrap('describe', real.describe, variants('describe', real.describe as unknown as typeof real.test));
export const suite = describe;
export const before = wrap('before', real.before);
export const after = wrap('after', real.after);
export const beforeEach = wrap('beforeEach', real.beforeEach);
export const afterEach = wrap('afterEach', real.afterEach);
export const mock = real.mock;
export const run = real.run;
export default Object.assign(test, { test, it, describe, suite, before, after, beforeEach, afterEach, mock, run });
