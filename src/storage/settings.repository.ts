/** Admin settings: one JSON value per key, with who changed it last. */
import type { Executor } from './database.js';

export async function readSettings(ex: Executor): Promise<Map<string, unknown>> {
  const rows = await ex.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function writeSetting(ex: Executor, key: string, value: unknown, by: string | null, now: Date): Promise<void> {
  const json = JSON.stringify(value);
  await ex
    .insertInto('settings')
    .values({ key, value: json, updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now, updated_by: by }))
    .execute();
}
