/**
 * Bundles the browser code (src/client/<name>.ts for each entry below) into public/build/<name>.js
 * with esbuild: one minified IIFE per page, ES2019 for older Android WebViews, no source maps.
 * Runs before `npm start` and `npm test` (package.json pre-scripts); the browser tests call
 * buildClient() themselves so a direct `node scripts/run-tests.mjs --browser` is never stale.
 * A bundle above the budget fails the build: the scan station must load fast on a cheap handheld.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Page bundles: add a name here when a page gets its own client code. */
export const ENTRIES = ['scan', 'dashboard', 'bills', 'imports', 'returns', 'sw'] as const;
export const BUDGET_BYTES = 50 * 1024;

export async function buildClient(opts: { quiet?: boolean } = {}): Promise<Record<string, number>> {
  const result = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, path.join(ROOT, 'src/client', `${name}.ts`)])),
    outdir: path.join(ROOT, 'public/build'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const sizes: Record<string, number> = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    sizes[path.relative(ROOT, path.resolve(ROOT, file))] = out.bytes;
  }
  const over = Object.entries(sizes).filter(([, bytes]) => bytes > BUDGET_BYTES);
  if (over.length) throw new Error(`client bundle over ${BUDGET_BYTES} bytes: ${over.map(([f, b]) => `${f} ${b}`).join(', ')}`);
  if (!opts.quiet) for (const [file, bytes] of Object.entries(sizes)) console.log(`built ${file} (${(bytes / 1024).toFixed(1)} KB)`);
  return sizes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildClient().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
