/**
 * Temporal's two databases on PostgreSQL, by the script docker-compose.yml runs too
 * (ops/temporal/schema.sh), here with the SQL tool and the schema files of the server this stack
 * builds: what Temporal recommends instead of the `auto-setup` image. Idempotent.
 */
import { join } from 'node:path';
import type { StackBinaries } from './binaries';
import { runOpsScript } from './ops-script';
import type { Postgres } from './postgres';

export async function migrateSchemas(
  bin: StackBinaries,
  db: Postgres,
  log: (line: string) => void,
): Promise<void> {
  await runOpsScript(
    'schema.sh',
    {
      SQL_TOOL: bin.sql,
      SCHEMA_DIR: join(bin.serverModule, 'schema', 'postgresql', 'v12'),
      POSTGRES_HOST: db.host,
      POSTGRES_PORT: String(db.port),
      POSTGRES_USER: db.user,
      POSTGRES_PASSWORD: db.password,
    },
    { log },
  );
}
