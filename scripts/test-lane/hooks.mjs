// Module hook of scripts/test-lane/lane.ts: a test file or test helper that imports `node:test`
// gets shim.ts instead, which records the file's tests and hooks for the lane to replay in a
// suite of the file's own.
let testDir = '';
let shim = '';

export function initialize(data) {
  testDir = data.testDir;
  shim = data.shim;
}

export async function resolve(specifier, context, next) {
  if (specifier === 'node:test' && context.parentURL?.startsWith(testDir)) return { url: shim, shortCircuit: true };
  return next(specifier, context);
}
