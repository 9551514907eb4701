/**
 * `tracetrack check [--fix]`: recounts the stored counters (domain/check) and prints every
 * difference. Exit code 1 when any differed (even if --fix then repaired it, so a cron job
 * notices), 0 when all agree. Kept out of cli.ts so the CLI stays a small dispatcher.
 */
import { parseArgs } from 'node:util';
import type { Ctx } from '../domain/context.js';
import { runChecks, type Check } from '../domain/check/check.service.js';

export const CHECK_USAGE = `  check [--fix]                             recount parents' and bills' counters from the links and
                                            print each difference (exit 1 if any); --fix rewrites them`;

export async function checkCommand(
  ctx: Ctx,
  args: string[],
  print: (line: string) => void = console.log,
  checks?: readonly Check[],
): Promise<number> {
  const { values } = parseArgs({ args, options: { fix: { type: 'boolean', default: false } } });
  const results = await runChecks(ctx, { fix: values.fix === true, ...(checks ? { checks } : {}) });
  let total = 0;
  for (const r of results) {
    total += r.differences.length;
    for (const d of r.differences) print(`DIFF ${r.check} ${d.subject} ${d.field}: stored ${d.stored}, recount ${d.recounted}`);
    const state =
      r.differences.length === 0
        ? 'ok'
        : `${r.differences.length} difference${r.differences.length === 1 ? '' : 's'}${r.fixed ? ', fixed' : ''}`;
    print(`${r.check}: ${state}`);
  }
  print(
    total === 0
      ? 'All counters agree with a recount.'
      : `${total} difference${total === 1 ? '' : 's'} found${values.fix ? ' and fixed' : ' (run with --fix to repair)'}.`,
  );
  return total === 0 ? 0 : 1;
}
