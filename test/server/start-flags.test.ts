/**
 * The server's node flags (docs/decisions/0043): `npm start`, the container and the systemd unit
 * start it the same way, with one V8 helper thread, and node takes those flags. A start command
 * that drifted from the others would run the server unlike the one the benchmarks measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { nodeFlagsIn, startCommands } from '../../scripts/start-commands.js';

const commands = startCommands();
const npmStart = nodeFlagsIn(commands['package.json'], 'package.json');
const docker = nodeFlagsIn(commands['deploy/Dockerfile'], 'deploy/Dockerfile');
const systemd = nodeFlagsIn(commands['deploy/tracetrack.service'], 'deploy/tracetrack.service');

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
