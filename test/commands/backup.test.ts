/**
 * Backup and restore on the embedded database (SPEC §13): PGlite → PGlite gives equal data and a
 * working TraceTrack (test/helpers/round-trip.ts says what is checked). Between engines:
 * backup-engines.test.ts; bad files and refusals: backup-verify.test.ts.
 */
import { test } from 'node:test';
import { roundTrip } from '../helpers/round-trip.js';

test('round trip PGlite → PGlite: equal rows, logins, sequences, counters', () => roundTrip('pglite', 'pglite'));
