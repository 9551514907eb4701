/**
 * Reading the old Flask TraceTrack's PostgreSQL (../shared/notes/reference-system.md §1.2) for
 * `tracetrack import-legacy`: each table is copied, in keyset pages from one read-only
 * snapshot, into a temporary staging table (lg_*) of our database's importing transaction,
 * where legacy-import.repository.ts maps it with set-based SQL. Columns the old database lacks
 * (its schema changed over the years) arrive as null.
 */
import pg from 'pg';
import { sql } from 'kysely';
import type { Tx } from './database.js';

export interface StagingSpec {
  legacy: string;
  staging: string;
  columns: ReadonlyArray<readonly [name: string, type: string]>;
}

export const LEGACY_TABLES: readonly StagingSpec[] = [
  {
    legacy: 'user',
    staging: 'lg_user',
    columns: [
      ['id', 'int'],
      ['username', 'text'],
      ['email', 'text'],
      ['password_hash', 'text'],
      ['role', 'text'],
      ['dispatch_area', 'text'],
      ['verified', 'boolean'],
      ['created_at', 'timestamp'],
    ],
  },
  {
    legacy: 'bag',
    staging: 'lg_bag',
    columns: [
      ['id', 'int'],
      ['qr_id', 'text'],
      ['type', 'text'],
      ['user_id', 'int'],
      ['dispatch_area', 'text'],
      ['status', 'text'],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
    ],
  },
  {
    legacy: 'link',
    staging: 'lg_link',
    columns: [
      ['id', 'int'],
      ['parent_bag_id', 'int'],
      ['child_bag_id', 'int'],
      ['created_at', 'timestamp'],
    ],
  },
  {
    legacy: 'bill',
    staging: 'lg_bill',
    columns: [
      ['id', 'int'],
      ['bill_id', 'text'],
      ['description', 'text'],
      ['parent_bag_count', 'int'],
      ['status', 'text'],
      ['created_by_id', 'int'],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
      ['destination', 'text'],
      ['vehicle_number', 'text'],
    ],
  },
  {
    legacy: 'bill_bag',
    staging: 'lg_bill_bag',
    columns: [
      ['id', 'int'],
      ['bill_id', 'int'],
      ['bag_id', 'int'],
      ['created_at', 'timestamp'],
    ],
  },
  {
    legacy: 'scan',
    staging: 'lg_scan',
    columns: [
      ['id', 'int'],
      ['timestamp', 'timestamp'],
      ['parent_bag_id', 'int'],
      ['child_bag_id', 'int'],
      ['user_id', 'int'],
    ],
  },
  {
    legacy: 'audit_log',
    staging: 'lg_audit',
    columns: [
      ['id', 'int'],
      ['timestamp', 'timestamp'],
      ['user_id', 'int'],
      ['action', 'text'],
      ['entity_type', 'text'],
      ['entity_id', 'text'],
      ['details', 'text'],
      ['ip_address', 'text'],
      ['request_id', 'text'],
    ],
  },
  // Returns (IPT), added to the old system in December 2025: older sites lack these tables.
  {
    legacy: 'return_ticket',
    staging: 'lg_ticket',
    columns: [
      ['id', 'int'],
      ['ticket_code', 'text'],
      ['cf_location', 'text'],
      ['status', 'text'],
      ['notes', 'text'],
      ['created_by_id', 'int'],
      ['created_at', 'timestamp'],
      ['updated_at', 'timestamp'],
      ['finalized_at', 'timestamp'],
    ],
  },
  {
    legacy: 'return_ticket_bag',
    staging: 'lg_ticket_bag',
    columns: [
      ['id', 'int'],
      ['return_ticket_id', 'int'],
      ['bag_id', 'int'],
      ['original_bill_id', 'int'],
      ['weight_at_return_kg', 'float8'],
      ['child_count_at_return', 'int'],
      ['scanned_by_id', 'int'],
      ['scanned_at', 'timestamp'],
    ],
  },
  {
    legacy: 'bill_return_event',
    staging: 'lg_bill_return',
    columns: [
      ['id', 'int'],
      ['bill_id', 'int'],
      ['return_ticket_id', 'int'],
      ['bag_id', 'int'],
      ['previous_linked_count', 'int'],
      ['new_linked_count', 'int'],
      ['previous_weight_kg', 'float8'],
      ['new_weight_kg', 'float8'],
      ['previous_child_count', 'int'],
      ['new_child_count', 'int'],
      ['removed_at', 'timestamp'],
    ],
  },
];

export class LegacySource {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<LegacySource> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('start transaction isolation level repeatable read read only');
    return new LegacySource(client);
  }

  async close(): Promise<void> {
    await this.client.query('rollback').catch(() => {});
    await this.client.end();
  }

  async columnsOf(table: string): Promise<Set<string> | null> {
    const r = await this.client.query<{ c: string }>(
      `select column_name as c from information_schema.columns where table_schema = current_schema() and table_name = $1`,
      [table],
    );
    return r.rows.length ? new Set(r.rows.map((x) => x.c)) : null;
  }

  async count(table: string): Promise<number> {
    const r = await this.client.query<{ n: string }>(`select count(*)::text as n from "${table.replace(/"/g, '')}"`);
    return Number(r.rows[0]!.n);
  }

  /** Copies a legacy table (rows with id > afterId) into its staging table; returns how many rows. */
  async stage(tx: Tx, spec: StagingSpec, afterId = 0, batch = 5000): Promise<number> {
    const defs = spec.columns.map(([n, t]) => `"${n}" ${t}`).join(', ');
    await sql.raw(`create temp table ${spec.staging} (${defs}) on commit drop`).execute(tx);
    const present = await this.columnsOf(spec.legacy);
    if (!present) return 0;
    const select = spec.columns
      .map(([n, t]) => (present.has(n) ? `"${n}"::${t === 'text' ? 'text' : t} as "${n}"` : `null::${t} as "${n}"`))
      .join(', ');
    let last = afterId;
    let total = 0;
    for (;;) {
      const r = await this.client.query<{ j: string; id: number }>(
        `select to_jsonb(x)::text as j, x.id from (select ${select} from "${spec.legacy}" where id > $1 order by id limit ${batch}) x`,
        [last],
      );
      if (r.rows.length === 0) break;
      const json = `[${r.rows.map((x) => x.j).join(',')}]`;
      await sql`insert into ${sql.table(spec.staging)} select * from jsonb_to_recordset(${json}::jsonb) as x(${sql.raw(defs)})`.execute(tx);
      total += r.rows.length;
      last = r.rows[r.rows.length - 1]!.id;
      if (r.rows.length < batch) break;
    }
    return total;
  }
}
