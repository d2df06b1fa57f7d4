/**
 * The benchmark on the production topology (`npm run bench -- --stack`): the pieces of `npm run
 * stack` that onboardings pass through, each a process of its own, in the run's temporary folder
 * and on free ports. PostgreSQL (a cluster of its own, Temporal's two databases and the data keys'
 * one, by ops/temporal/schema.sh), the project's build of the Temporal server on the repository's
 * configuration (mutual TLS, every call authorized; its identity provider, Dex, started only for
 * the keys the configuration names), and two onboarding workers per task queue, each with a client
 * certificate of its own, as one worker deployment version made current (ops/temporal/release.sh).
 * The Web UIs, the codec server and the HTTP service are left out: no onboarding waits on them.
 * The server's and Dex's logs stay in `.temporal/bench/logs`.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePortBlock, freePorts } from '../free-ports';
import { cacheDir, resolveBinary } from '../temporal/binaries';
import { loadToolingConfig } from '../temporal/config';
import { ensureStackBinaries, STACK_VERSIONS, type StackBinaries } from '../stack/binaries';
import {
  certificatesDir,
  ensureCertificates,
  tlsEnv,
  trustAuthority,
  type Certificates,
} from '../stack/certificates';
import { startDex } from '../stack/dex';
import { ensureLogins } from '../stack/logins';
import { dataKeyStoreUrl, startLocalPostgres, type Postgres } from '../stack/postgres';
import { migrateSchemas } from '../stack/schema';
import { SERVER_NAME, serverAuthEnv, TemporalServer } from '../stack/server';
import { BenchStack, type BenchStackOptions } from './bench-stack';
import type { Child } from '../child-process';
import type { Processes } from './process-costs';

const DEPLOYMENT = { name: 'credit-onboarding-bench', buildId: 'bench' } as const;

/** Bytes under a folder (PostgreSQL's data directory: tables, indexes, WAL). */
function folderBytes(dir: string): number {
  let sum = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sum += folderBytes(path);
    else if (entry.isFile()) sum += statSync(path).size;
  }
  return sum;
}

export class ProductionBenchStack extends BenchStack {
  readonly topology = `Temporal server ${STACK_VERSIONS.server} (the project's build) on PostgreSQL, mutual TLS, two onboarding workers as one worker deployment version`;
  readonly workerCount = 2;
  private server!: TemporalServer;
  private db!: Postgres;
  private binaries!: StackBinaries;
  private certificates!: Certificates;
  private cli!: string;
  private workersStarted = 0;
  private released = false;

  static start(options: BenchStackOptions): Promise<ProductionBenchStack> {
    return BenchStack.booted(new ProductionBenchStack(options.workerMode), options);
  }

  get address(): string {
    return this.server.address;
  }

  get cliPath(): string {
    return this.cli;
  }

  private get pgData(): string {
    return join(this.dir, 'postgres', 'data');
  }

  /** Temporal and PostgreSQL (its postmaster, whose backends count with it). */
  serverProcesses(): Processes | undefined {
    const postmaster = Number(readFileSync(join(this.pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const temporal = this.server.pid;
    return temporal === undefined || !Number.isFinite(postmaster)
      ? undefined
      : [temporal, { tree: postmaster }];
  }

  databaseBytes(): number {
    return existsSync(this.pgData) ? folderBytes(this.pgData) : 0;
  }

  protected async startServer(log: (line: string) => void): Promise<void> {
    const tooling = loadToolingConfig();
    const cache = cacheDir(tooling);
    this.binaries = await ensureStackBinaries(cache, log);
    const cli = await resolveBinary('cli', tooling, { log });
    if (cli.path === undefined)
      throw new Error('the temporal CLI was not found: run npm run temporal:binaries');
    this.cli = cli.path;
    // Kept after the run (the run's folder is not): `.temporal/bench/logs`.
    const logs = join(cache, 'bench', 'logs');
    mkdirSync(logs, { recursive: true });
    this.certificates = ensureCertificates(certificatesDir(cache), { clients: ['admin', 'api'], log });
    trustAuthority(this.certificates.caFile);
    // PostgreSQL runs as its own user when this process is root: it must reach its folder.
    chmodSync(this.dir, 0o755);

    const [dexPort, pgPort, metricsPort] = (await freePorts(3)) as [number, number, number];
    const dex = await startDex({
      binary: this.binaries.dex,
      port: dexPort,
      tls: this.certificates.dexServer,
      dataDir: join(this.dir, 'dex'),
      uiUrls: { operators: 'http://127.0.0.1:9', viewers: 'http://127.0.0.1:9' },
      logins: ensureLogins(join(cache, 'stack', 'login')),
      logFile: join(logs, 'dex.log'),
      log,
    });
    this.cleanups.push(() => dex.stop());
    this.db = await startLocalPostgres(join(this.dir, 'postgres'), pgPort, log);
    this.cleanups.push(() => this.db.stop());
    await migrateSchemas(this.binaries, this.db, log);

    this.server = new TemporalServer(
      this.binaries.server,
      this.cli,
      this.db,
      // The server's ports: its frontend f, history f+1, matching f+2, worker f+6, HTTP f+10, and
      // the services' membership ports from f-700 (scripts/stack/server.ts), all below 32768: the
      // server keeps membership ports in a smallint column.
      {
        frontend: await freePortBlock([0, 1, 2, 6, 10, -700, -699, -698, -694], 12_000, 31_000),
        metrics: metricsPort,
      },
      { server: this.certificates.server, admin: this.certificates.client('admin') },
      serverAuthEnv(dex, this.certificates.caFile),
      join(logs, 'temporal-server.log'),
      log,
    );
    this.cleanups.push(() => this.server.stop());
    await this.server.start();
  }

  protected clientEnv(role: 'driver' | 'worker' | 'skeleton'): Record<string, string> {
    const dataKeys = { DATA_KEY_STORE_URL: dataKeyStoreUrl(this.db) };
    // Each process its own certificate, named as the server's claim mapper expects (worker-*, api).
    if (role === 'driver') return { ...dataKeys, ...tlsEnv(this.certificates.client('api'), SERVER_NAME) };
    if (role === 'skeleton') return tlsEnv(this.certificates.client('worker-bench-skeleton'), SERVER_NAME);
    this.workersStarted += 1;
    return {
      ...dataKeys,
      ...tlsEnv(this.certificates.client(`worker-bench-${this.workersStarted}`), SERVER_NAME),
      TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT.name,
      TEMPORAL_BUILD_ID: DEPLOYMENT.buildId,
    };
  }

  /** The workers; the first ones make the deployment's version current, as a deploy does. */
  override async startWorkers(taskQueue?: string, extraEnv?: Record<string, string>): Promise<Child[]> {
    const workers = await super.startWorkers(taskQueue, extraEnv);
    if (!this.released) {
      await this.server.release(DEPLOYMENT.name, DEPLOYMENT.buildId);
      this.released = true;
    }
    return workers;
  }
}
