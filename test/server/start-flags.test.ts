/**
 * The server's node flags (docs/decisions/0043): `npm start`, the container and the systemd unit
 * start it the same way, with one V8 helper thread, and node takes those flags. A start command
 * that drifted from the others would run the server unlike the one the benchmarks measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const SCRIPT = 'dist/src/server.js';

/** The words between node and the server's script in one start command. */
function flagsOf(command: string[], where: string): string[] {
  const node = command.findIndex((w) => w === 'node' || w.endsWith('/node'));
  const script = command.indexOf(SCRIPT);
  assert.ok(node >= 0 && script > node, `${where} starts "node … ${SCRIPT}": ${command.join(' ')}`);
  return command.slice(node + 1, script);
}

const npmStart = flagsOf(JSON.parse(read('package.json')).scripts.start.split(/\s+/), 'package.json');
const cmd = /^CMD (\[.*\])$/m.exec(read('deploy/Dockerfile'));
const docker = flagsOf(JSON.parse(cmd?.[1] ?? '[]'), 'deploy/Dockerfile');
const exec = /^ExecStart=(.*)$/m.exec(read('deploy/tracetrack.service'));
const systemd = flagsOf((exec?.[1] ?? '').split(/\s+/), 'deploy/tracetrack.service');

test('npm start runs the server with one V8 helper thread', () => {
  assert.ok(npmStart.includes('--v8-pool-size=1'), `npm start's flags: ${npmStart.join(' ')}`);
});

test('the container and the systemd unit start it with the same flags as npm start', () => {
  assert.deepEqual(docker, npmStart);
  assert.deepEqual(systemd, npmStart);
});

test('node takes those flags (a misspelt one would stop the server from starting)', () => {
  assert.equal(execFileSync(process.execPath, [...npmStart, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' }), 'ok');
  assert.throws(() => execFileSync(process.execPath, ['--v8-pool-sise=1', '-e', '0'], { stdio: 'ignore' }), 'an unknown flag is refused');
});
