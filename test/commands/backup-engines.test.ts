/**
 * A site moves between engines with one backup and one restore (SPEC §13): PGlite → PostgreSQL
 * and PostgreSQL → PGlite give equal data and a working TraceTrack (test/helpers/round-trip.ts).
 * Needs TEST_DATABASE_URL.
 */
import { test } from 'node:test';
import { usingPostgres } from '../helpers/database.js';
import { roundTrip } from '../helpers/round-trip.js';

const skip = !usingPostgres && 'TEST_DATABASE_URL not set';
test('round trip PGlite → PostgreSQL', { skip }, () => roundTrip('pglite', 'postgres'));
test('round trip PostgreSQL → PGlite', { skip }, () => roundTrip('postgres', 'pglite'));
