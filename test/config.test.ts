import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/config.js';

test('defaults: port 5000, ./data, embedded database, 30 min idle / 12 h sessions, Asia/Kolkata', () => {
  const c = loadConfig({});
  assert.equal(c.port, 5000);
  assert.match(c.dataDir, /\/data$/);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.workers, 1);
  assert.equal(c.sessionIdleMinutes, 30);
  assert.equal(c.sessionAbsoluteHours, 12);
  assert.equal(c.displayTimezone, 'Asia/Kolkata');
  assert.equal(c.scanCallSlots, 1);
  assert.equal(c.searchIndexMergeMs, 1000);
  assert.equal(c.rememberedParents, 4096);
  assert.equal(loadConfig({ REMEMBERED_PARENTS: '0' }).rememberedParents, 0, '0: every scan reads');
  assert.equal(loadConfig({ SEARCH_INDEX_MERGE_MS: '0' }).searchIndexMergeMs, 0, '0 turns the merges off');
  assert.equal(c.statementHold, true);
  assert.equal(loadConfig({ STATEMENT_HOLD: '0' }).statementHold, false, '0 sends every statement at once');
  assert.ok(Object.isFrozen(c));
});

test('every bad variable is listed at once', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      WORKERS: '0',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'http://x',
      DB_POOL_SIZE: '-3',
      SCAN_CALL_SLOTS: '0',
      SEARCH_INDEX_MERGE_MS: '-1',
      REMEMBERED_PARENTS: 'all',
      STATEMENT_HOLD: 'sometimes',
      DISPLAY_TIMEZONE: 'Mars/Olympus',
      CREATE_TEST_USERS: 'maybe',
    });
    assert.fail('should throw');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const text = err.problems.join('\n');
    for (const name of [
      'PORT',
      'WORKERS',
      'LOG_LEVEL',
      'DATABASE_URL',
      'REDIS_URL',
      'DB_POOL_SIZE',
      'SCAN_CALL_SLOTS',
      'SEARCH_INDEX_MERGE_MS',
      'REMEMBERED_PARENTS',
      'STATEMENT_HOLD',
      'DISPLAY_TIMEZONE',
      'CREATE_TEST_USERS',
      'SESSION_SECRET',
    ]) {
      assert.match(text, new RegExp(name), `${name} listed`);
    }
  }
});

test('CREATE_TEST_USERS needs both passwords, named in the error', () => {
  assert.throws(
    () => loadConfig({ CREATE_TEST_USERS: 'true' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /BILLER_PASSWORD is required/);
      assert.match(err.message, /DISPATCHER_PASSWORD is required/);
      return true;
    },
  );
  const ok = loadConfig({ CREATE_TEST_USERS: 'true', BILLER_PASSWORD: 'biller-pass-123', DISPATCHER_PASSWORD: 'dispatch-pass-123' });
  assert.equal(ok.createTestUsers, true);
});

test('DATABASE_URL requires SESSION_SECRET; WORKERS>1 requires DATABASE_URL', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://localhost/tt' }), /SESSION_SECRET is required/);
  assert.throws(() => loadConfig({ WORKERS: '2' }), /WORKERS>1 needs DATABASE_URL/);
  const ok = loadConfig({ DATABASE_URL: 'postgres://localhost/tt', SESSION_SECRET: 's'.repeat(40), WORKERS: '4' });
  assert.equal(ok.workers, 4);
});

test('logs: pino-pretty when stdout is a terminal, JSON otherwise; LOG_FORMAT overrides', () => {
  assert.equal(loadConfig({}, true).logPretty, true);
  assert.equal(loadConfig({}, false).logPretty, false);
  assert.equal(loadConfig({ LOG_FORMAT: 'json' }, true).logPretty, false);
  assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }, false).logPretty, true);
  assert.throws(() => loadConfig({ LOG_FORMAT: 'xml' }), /LOG_FORMAT must be auto, pretty or json/);
});
