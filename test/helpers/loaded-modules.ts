/**
 * The project's modules this process has loaded (file paths relative to the root), read from V8
 * through the inspector: every script V8 compiled, whichever loader brought it in.
 */
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './under-test.js';

export async function loadedModules(): Promise<string[]> {
  const session = new Session();
  session.connect();
  const urls: string[] = [];
  session.on('Debugger.scriptParsed', (e) => urls.push(e.params.url));
  try {
    await session.post('Debugger.enable'); // reports every script already compiled
    await session.post('Debugger.disable');
  } finally {
    session.disconnect();
  }
  return urls
    .filter((u) => u.startsWith('file:'))
    .map((u) => path.relative(ROOT, fileURLToPath(u)))
    .filter((p) => !p.startsWith('..') && !p.startsWith('node_modules'))
    .sort();
}
