/**
 * End-of-day e-mail against a real SMTP server started here (smtp-server): two app instances on
 * one database send exactly one message a day; nothing before EOD_REPORT_TIME; "send now" for
 * admins only; failed sends are retried with back-off and the log shows every attempt.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { useTestApp } from '../helpers/setup.js';
import { buildTestApp } from '../helpers/app.js';
import { Client, loginAs } from '../helpers/http.js';
import { errorCode } from '../helpers/lookups.js';
import { fill, scanParent } from '../helpers/scans.js';
import { EodReporter } from '../../src/domain/reports/eod-email.service.js';
import { smtpMailer } from '../../src/lib/mailer.js';

const received: string[] = [];
/** How many of the next messages the server refuses (a mail server having a bad moment). */
let refuseNext = 0;
let server: SMTPServer;
let smtpUrl = '';

before(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuseNext > 0) {
          refuseNext -= 1;
          return done(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        received.push(Buffer.concat(chunks).toString('utf8'));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

// 17:30 in Kolkata; EOD_REPORT_TIME is 18:00.
const t = useTestApp({ startAt: '2026-11-25T12:00:00Z' });
const mailConfig = () => ({
  config: { smtpUrl, reportEmailTo: 'boss@example.com, ops@example.com', reportEmailFrom: 'TraceTrack <tt@example.com>' },
});

test('two app instances on one database send exactly one message a day, after EOD_REPORT_TIME only', async () => {
  received.length = 0;
  const a = await t.rebuild(mailConfig());
  const b = await buildTestApp(t.database, { clock: t.clock, ...mailConfig() });
  try {
    const d = await loginAs(a, 'dispatcher');
    await scanParent(d, 'SB00001');
    await fill(d, 'SB00001', 4);
    assert.deepEqual(await Promise.all([a.eod!.tick(), b.eod!.tick()]), ['not_yet', 'not_yet']);
    t.clock.advanceMinutes(31); // 18:01
    const first = await Promise.all([a.eod!.tick(), b.eod!.tick(), a.eod!.tick(), b.eod!.tick()]);
    assert.equal(first.filter((r) => r === 'sent').length, 1, first.join());
    assert.deepEqual(await Promise.all([a.eod!.tick(), b.eod!.tick()]), ['already_done', 'already_done']);
    assert.equal(received.length, 1);
    const m = received[0]!;
    assert.match(m, /^Subject: TraceTrack daily report 2026-11-25/m);
    assert.match(m, /^To: boss@example\.com, ops@example\.com/m);
    assert.match(m, /Scans: 1 parent, 4 child, 0 refused/);

    t.clock.advanceMinutes(6 * 60); // past midnight: the next day, before its 18:00
    assert.deepEqual(await Promise.all([a.eod!.tick(), b.eod!.tick()]), ['not_yet', 'not_yet']);
    t.clock.advanceMinutes(18 * 60);
    const second = await Promise.all([a.eod!.tick(), b.eod!.tick()]);
    assert.equal(second.filter((r) => r === 'sent').length, 1, second.join());
    assert.equal(received.length, 2);
    assert.match(received[1]!, /^Subject: TraceTrack daily report 2026-11-26/m);
    const rows = await sql<{
      day: string;
      status: string;
    }>`select to_char(day, 'YYYY-MM-DD') as day, status from report_sends order by day`.execute(a.ctx.db);
    assert.deepEqual(rows.rows, [
      { day: '2026-11-25', status: 'sent' },
      { day: '2026-11-26', status: 'sent' },
    ]);
  } finally {
    await b.close();
  }
});

test('"send now" is for admins; the log shows the sends; without SMTP settings it is refused', async () => {
  received.length = 0;
  const a = await t.rebuild(mailConfig());
  const admin = await loginAs(a, 'admin');
  const res = await admin.post('/api/reports/email/send');
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { ok: true, attempts: 1, error: null });
  assert.equal(received.length, 1);
  for (const role of ['biller', 'dispatcher'] as const) {
    const c = await loginAs(a, role);
    assert.equal((await c.post('/api/reports/email/send')).statusCode, 403, role);
    assert.equal((await c.get('/api/reports/email/log')).statusCode, 403, role);
  }
  assert.equal((await new Client(a).post('/api/reports/email/send')).statusCode, 401);
  const log = await admin.get('/api/reports/email/log');
  assert.equal(log.statusCode, 200, log.body);
  assert.deepEqual(
    log.json().items.map((e: { trigger: string; ok: boolean; attempt: number }) => [e.trigger, e.ok, e.attempt]),
    [['manual', true, 1]],
  );
  assert.deepEqual([log.json().configured, log.json().time], [true, '18:00']);
  const page = await admin.get('/reports');
  assert.match(page.body, /action="\/reports\/email\/send"/);

  const plain = await t.rebuild();
  const admin2 = await loginAs(plain, 'admin');
  const off = await admin2.post('/api/reports/email/send');
  assert.deepEqual([off.statusCode, errorCode(off)], [404, 'not_found']);
  assert.equal((await admin2.get('/api/reports/email/log')).json().configured, false);
});

test('a failed send is retried with back-off; the log shows the failures; when every try fails the day is marked failed', async () => {
  received.length = 0;
  const a = await t.rebuild();
  t.clock.advanceMinutes(24 * 60 + 31); // 18:01 on another day than any before
  const waits: number[] = [];
  const mailer = smtpMailer(smtpUrl);
  const eod = new EodReporter(a.ctx, {
    tz: 'Asia/Kolkata',
    time: '18:00',
    from: 'tt@example.com',
    to: 'boss@example.com',
    mailer,
    backoffMs: [5, 10, 20],
    sleep: async (ms) => void waits.push(ms),
  });
  try {
    refuseNext = 2;
    assert.equal(await eod.tick(), 'sent');
    assert.deepEqual(waits, [5, 10]);
    assert.equal(received.length, 1);
    const log = await sql<{
      attempt: number;
      ok: boolean;
      error: string | null;
    }>`select attempt, ok, error from report_send_log order by id`.execute(a.ctx.db);
    assert.deepEqual(
      log.rows.map((r) => [r.attempt, r.ok]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
    );
    assert.match(log.rows[0]!.error!, /try again later/);

    t.clock.advanceMinutes(24 * 60);
    refuseNext = 10;
    assert.equal(await eod.tick(), 'failed');
    refuseNext = 0;
    const day = await sql<{
      status: string;
      attempts: number;
      last_error: string;
    }>`select status, attempts, last_error from report_sends order by day desc limit 1`.execute(a.ctx.db);
    assert.deepEqual([day.rows[0]!.status, day.rows[0]!.attempts], ['failed', 4]);
    assert.equal(await eod.tick(), 'already_done', 'a failed day is not retried by every timer tick forever');
  } finally {
    refuseNext = 0;
    mailer.close();
  }
});
