/**
 * The data-key store on PostgreSQL (production, the stack, compose): a table of its own schema,
 * created when missing. A key is inserted only where none stands (`ON CONFLICT DO NOTHING`), so
 * concurrent writers agree on one; an erasure nulls the key in the same row it marks, so the key is
 * gone from the table, and from backups once they roll over (docs/privacy.md).
 */
import pg from 'pg';
import { erasureRecordSchema, type ErasureRecord } from '../../domain/erasure';
import type { DataKeyEntry, DataKeyStore, WrappedDataKey } from './store';

const TABLE = 'credit_onboarding.onboarding_data_keys';

interface Row {
  workflow_id: string;
  wrapped_by: string | null;
  wrapped_key: Buffer | null;
  created_at: Date;
  erasure: unknown;
}

export class PostgresDataKeyStore implements DataKeyStore {
  private ready: Promise<void> | undefined;
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    // A dropped idle connection is replaced on the next query; unhandled, it would end the process.
    this.pool.on('error', () => undefined);
  }

  private schema(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `CREATE SCHEMA IF NOT EXISTS credit_onboarding;
         CREATE TABLE IF NOT EXISTS ${TABLE} (
           workflow_id text PRIMARY KEY,
           wrapped_by text,
           wrapped_key bytea,
           created_at timestamptz NOT NULL DEFAULT now(),
           erasure jsonb,
           CHECK ((wrapped_key IS NULL) = (erasure IS NOT NULL))
         )`,
      )
      .then(
        () => undefined,
        (err: unknown) => {
          this.ready = undefined;
          throw err;
        },
      );
    return this.ready;
  }

  private async query(sql: string, values: unknown[]): Promise<Row[]> {
    await this.schema();
    return (await this.pool.query<Row>(sql, values)).rows;
  }

  async get(workflowId: string): Promise<DataKeyEntry | undefined> {
    const [row] = await this.query(`SELECT * FROM ${TABLE} WHERE workflow_id = $1`, [workflowId]);
    return row === undefined ? undefined : entryOf(row);
  }

  async putIfAbsent(workflowId: string, key: WrappedDataKey): Promise<DataKeyEntry> {
    await this.query(
      `INSERT INTO ${TABLE} (workflow_id, wrapped_by, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [workflowId, key.wrappedBy, key.wrapped],
    );
    return (await this.get(workflowId))!;
  }

  async erase(workflowId: string, erasure: ErasureRecord): Promise<'erased' | 'already-erased' | 'no-key'> {
    const updated = await this.query(
      `UPDATE ${TABLE} SET wrapped_by = NULL, wrapped_key = NULL, erasure = $2
       WHERE workflow_id = $1 AND erasure IS NULL RETURNING workflow_id`,
      [workflowId, JSON.stringify(erasure)],
    );
    if (updated.length > 0) return 'erased';
    return (await this.get(workflowId)) === undefined ? 'no-key' : 'already-erased';
  }

  async activeBefore(before: Date, after: string | undefined, limit: number): Promise<string[]> {
    const rows = await this.query(
      `SELECT workflow_id FROM ${TABLE}
       WHERE erasure IS NULL AND created_at < $1 AND workflow_id > $2
       ORDER BY workflow_id LIMIT $3`,
      [before, after ?? '', limit],
    );
    return rows.map((r) => r.workflow_id);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function entryOf(row: Row): DataKeyEntry {
  if (row.erasure !== null) {
    return { state: 'erased', erasure: erasureRecordSchema.parse(row.erasure), createdAt: row.created_at };
  }
  return {
    state: 'active',
    key: { wrappedBy: row.wrapped_by ?? '', wrapped: Buffer.from(row.wrapped_key ?? []) },
    createdAt: row.created_at,
  };
}
