#!/usr/bin/env node
// `npx tracetrack …`: runs the compiled CLI (dist/, made by `npm run build` / `npm start`) with
// plain node; in a checkout that was never built it falls back to the TypeScript source via tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist/src/cli.js');
const args = existsSync(compiled) ? [compiled] : ['--import', 'tsx', path.join(root, 'src/cli.ts')];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit', cwd: process.cwd() });
process.exit(result.status ?? 1);
