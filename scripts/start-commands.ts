/**
 * The server's three start commands (docs/decisions/0043): `npm start` (package.json), the
 * container's CMD (deploy/Dockerfile) and the systemd unit's ExecStart (deploy/tracetrack.service),
 * each read as its words, and the node flags a command puts before the server's script.
 * test/server/start-flags.test.ts holds the three to the same flags; the benchmarks start the
 * server with npm start's (bench/app-run.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

const SERVER_SCRIPT = 'dist/src/server.js';
const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Each start command's words, by the file it is in. */
export function startCommands(): Record<'package.json' | 'deploy/Dockerfile' | 'deploy/tracetrack.service', string[]> {
  const cmd = /^CMD (\[.*\])$/m.exec(read('deploy/Dockerfile'));
  const exec = /^ExecStart=(.*)$/m.exec(read('deploy/tracetrack.service'));
  return {
    'package.json': words(JSON.parse(read('package.json')).scripts.start),
    'deploy/Dockerfile': JSON.parse(cmd?.[1] ?? '[]'),
    'deploy/tracetrack.service': words(exec?.[1] ?? ''),
  };
}

/** The words between node (or a path ending in /node) and the server's script; throws when the command is not "node … script". */
export function nodeFlagsIn(command: string[], where: string): string[] {
  const node = command.findIndex((w) => w === 'node' || w.endsWith('/node'));
  const script = command.indexOf(SERVER_SCRIPT);
  if (node < 0 || script <= node) throw new Error(`${where} does not start "node … ${SERVER_SCRIPT}": ${command.join(' ')}`);
  return command.slice(node + 1, script);
}

/** The flags `npm start` runs the server with. */
export const npmStartFlags = (): string[] => nodeFlagsIn(startCommands()['package.json'], 'package.json');

const words = (line: string) => line.split(/\s+/).filter(Boolean);
