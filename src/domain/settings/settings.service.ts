/**
 * Admin settings that change behaviour without a deploy. Each change is one transaction with
 * one history row holding the before and after values.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { Executor } from '../../storage/database.js';
import { appendEvent } from '../../storage/events.repository.js';
import { readSettings, writeSetting } from '../../storage/settings.repository.js';
import { sourceOf } from '../audit/event.js';

export interface Settings {
  /** Admins without two-factor are sent to enrolment before they can do anything else. */
  requireAdminTotp: boolean;
}

const DEFAULTS: Settings = { requireAdminTotp: false };
const KEYS: Record<keyof Settings, string> = { requireAdminTotp: 'security.require_admin_totp' };

export async function getSettings(ex: Executor): Promise<Settings> {
  const stored = await readSettings(ex);
  const v = stored.get(KEYS.requireAdminTotp);
  return { requireAdminTotp: typeof v === 'boolean' ? v : DEFAULTS.requireAdminTotp };
}

export function loadSettings(ctx: Ctx): Promise<Settings> {
  return getSettings(ctx.db);
}

export async function updateSettings(ctx: Ctx, actor: Actor, changes: Partial<Settings>): Promise<Settings> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await getSettings(tx);
    const after: Settings = { ...before, ...changes };
    const changed = (Object.keys(KEYS) as Array<keyof Settings>).filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return before;
    for (const k of changed) await writeSetting(tx, KEYS[k], after[k], actor.userId, now);
    await appendEvent(
      tx,
      sourceOf(actor),
      {
        action: 'settings.update',
        outcome: 'ok',
        subject: 'settings',
        details: { before: pick(before, changed), after: pick(after, changed) },
      },
      now,
    );
    return after;
  });
}

/** History labels: scrub() drops any key that looks like a secret (e.g. containing "totp"). */
const LABELS: Record<keyof Settings, string> = { requireAdminTotp: 'requireTwoFactorForAdmins' };
const pick = (s: Settings, keys: Array<keyof Settings>) => Object.fromEntries(keys.map((k) => [LABELS[k], s[k]]));

/** Must this user enrol in two-factor before doing anything else? */
export function mustEnrolTotp(user: { role: string; totpEnabled: boolean }, settings: Settings): boolean {
  return user.role === 'admin' && !user.totpEnabled && settings.requireAdminTotp;
}
