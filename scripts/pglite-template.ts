/**
 * Writes one migrated embedded database as a tarball, for the test files to start from
 * (scripts/run-tests.mjs runs this once per run and passes the path in TT_PGLITE_TEMPLATE).
 *   node --import tsx scripts/pglite-template.ts OUT.tar
 */
import fs from 'node:fs';
import { dumpPGliteTemplate, openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrator.js';

const out = process.argv[2];
if (!out) throw new Error('usage: pglite-template.ts OUT.tar');
const database = await openDatabase({ pgliteDir: 'memory://' });
await migrate(database);
const tar = await dumpPGliteTemplate(database);
fs.writeFileSync(out, Buffer.from(await tar.arrayBuffer()));
await database.close();
