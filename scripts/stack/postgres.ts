/**
 * PostgreSQL for the stack: a cluster of its own in the cache folder (`.temporal/stack/postgres`),
 * on a port of its own and a socket folder of its own so it never meets another PostgreSQL on the
 * machine, with a `temporal` role; or the server POSTGRES_URL points at. As root, the cluster runs
 * as the `postgres` user, as PostgreSQL requires.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', ...listVersions()];
function listVersions(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort()
      .reverse()
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}
const pgBinary = (name: string): string => {
  const dir = BIN_DIRS.find((d) => existsSync(join(d, name)));
  if (dir === undefined)
    throw new Error(`PostgreSQL's ${name} was not found (looked in ${BIN_DIRS.join(', ')})`);
  return join(dir, name);
};

const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
async function pg(name: string, args: string[]): Promise<string> {
  const [cmd, cmdArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', pgBinary(name), ...args]]
    : [pgBinary(name), args];
  const { stdout } = await promisify(execFile)(cmd, cmdArgs, { maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}

/** Each onboarding's data key (DATA_KEY_STORE_URL), in the database ops/temporal/schema.sh made beside Temporal's. */
export const dataKeyStoreUrl = (db: Postgres): string =>
  `postgres://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/credit_onboarding`;

export function postgresFromUrl(url: string): Postgres {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    stop: async () => undefined,
  };
}

export async function startLocalPostgres(
  dir: string,
  port: number,
  log: (line: string) => void,
): Promise<Postgres> {
  const data = join(dir, 'data');
  const sockets = join(dir, 'run');
  mkdirSync(sockets, { recursive: true });
  if (asRoot) {
    const owner = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
    const group = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
    mkdirSync(data, { recursive: true });
    for (const d of [dir, data, sockets]) chownSync(d, owner, group);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${data}`);
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  }
  await pg('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-o',
    `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  const psql = (sql: string) =>
    pg('psql', ['-h', sockets, '-p', String(port), '-U', 'postgres', '-tAc', sql]);
  if ((await psql("SELECT 1 FROM pg_roles WHERE rolname = 'temporal'")).trim() !== '1') {
    await psql("CREATE ROLE temporal LOGIN CREATEDB PASSWORD 'temporal'");
  }
  log(`PostgreSQL on 127.0.0.1:${port}`);
  return {
    host: '127.0.0.1',
    port,
    user: 'temporal',
    password: 'temporal',
    stop: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
  };
}
