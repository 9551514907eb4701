/** Two-factor helpers shared by the TOTP suites: the current code, events by action, an enrolled admin. */
import assert from 'node:assert/strict';
import { totpCode, totpStep } from '../../src/lib/totp.js';
import { loginAs } from './http.js';
import type { TestAppHandle } from './setup.js';

export function totpHelpers(t: TestAppHandle) {
  const codeNow = (secret: string) => totpCode(secret, totpStep(t.clock.now()));
  const events = (action: string) => t.app.ctx.db.selectFrom('events').selectAll().where('action', '=', action).execute();

  /** An admin with two-factor on; answers the client, the secret and the backup codes. */
  async function enrolledAdmin() {
    const admin = await loginAs(t.app, 'admin');
    const setup = await admin.post('/api/auth/totp/setup');
    assert.equal(setup.statusCode, 200);
    const { secret } = setup.json();
    const confirm = await admin.post('/api/auth/totp/confirm', { code: codeNow(secret) });
    assert.equal(confirm.statusCode, 200, confirm.body);
    t.clock.advance(30_000); // the confirming code's step is spent
    return { admin, secret: secret as string, backupCodes: confirm.json().backupCodes as string[] };
  }
  return { codeNow, events, enrolledAdmin };
}
