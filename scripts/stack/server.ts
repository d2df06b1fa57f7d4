/**
 * The Temporal server of the stack: the project's build (ops/temporal/server, on the pinned
 * module), started with the repository's configuration (ops/temporal/production.yaml, the file
 * docker-compose.yml mounts), on PostgreSQL. Restartable on the same database (the stack test
 * restarts it mid-run). Once it is up: the `default` namespace and the onboarding's search
 * attributes (ops/temporal/setup.sh, with the `admin` client certificate). Its frontend takes only
 * clients with a certificate of the stack's authority (scripts/stack/certificates.ts), and its
 * services speak to each other likewise; it authorizes every call, by the user's token or the
 * service's certificate (`authEnv`: the identity provider and the groups that are roles).
 */
import { join } from 'node:path';
import { Child } from '../child-process';
import { projectRoot } from '../temporal/config';
import { waitForPort } from '../temporal/dev-server';
import { SERVER_DNS_NAMES, tlsEnv, type TlsFiles } from './certificates';
import type { RunningDex } from './dex';
import { CLIENTS, GROUPS } from './logins';
import { runOpsScript } from './ops-script';
import type { Postgres } from './postgres';

export interface StackPorts {
  frontend: number;
  metrics: number;
}

/**
 * The name the stack's clients check the server's certificate against: they reach it at 127.0.0.1
 * (in the certificate too), but an IP address as TLS server name is deprecated in Node (RFC 6066).
 */
export const SERVER_NAME: (typeof SERVER_DNS_NAMES)[number] = 'localhost';

/**
 * TEMPORAL_SERVER_AUTH_*: the users' tokens are Dex's, for the Web UIs' clients, and its groups are
 * the roles; the server fetches Dex's keys over HTTPS trusting the stack's authority only.
 */
export const serverAuthEnv = (dex: RunningDex, caFile: string): Record<string, string> => ({
  TEMPORAL_SERVER_AUTH_JWKS_URI: dex.keysUrl,
  TEMPORAL_SERVER_AUTH_ISSUER: dex.issuer,
  TEMPORAL_SERVER_AUTH_AUDIENCES: Object.values(CLIENTS).join(','),
  TEMPORAL_SERVER_AUTH_WRITER_GROUPS: GROUPS.operators,
  TEMPORAL_SERVER_AUTH_READER_GROUPS: GROUPS.viewers,
  SSL_CERT_FILE: caFile,
});

export class TemporalServer {
  private process: Child | undefined;

  constructor(
    private readonly binary: string,
    /** The temporal CLI, which ops/temporal/setup.sh runs. */
    private readonly cli: string,
    private readonly db: Postgres,
    private readonly ports: StackPorts,
    /** The server's own certificate, and the ops scripts' client certificate. */
    private readonly tls: { server: TlsFiles; admin: TlsFiles },
    /** TEMPORAL_SERVER_AUTH_*: whose tokens it takes, and which groups are which role. */
    private readonly authEnv: Record<string, string>,
    private readonly logFile: string,
    private readonly log: (line: string) => void,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.ports.frontend}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const f = this.ports.frontend;
    this.process = new Child(
      'the Temporal server',
      this.binary,
      ['--root', join(projectRoot, 'ops'), '--config', 'temporal', '--env', 'production', 'start'],
      {
        env: {
          ...process.env,
          POSTGRES_HOST: this.db.host,
          POSTGRES_PORT: String(this.db.port),
          POSTGRES_USER: this.db.user,
          POSTGRES_PASSWORD: this.db.password,
          TEMPORAL_PORT: String(f),
          TEMPORAL_HTTP_PORT: String(f + 10),
          TEMPORAL_HISTORY_PORT: String(f + 1),
          TEMPORAL_MATCHING_PORT: String(f + 2),
          TEMPORAL_WORKER_PORT: String(f + 6),
          TEMPORAL_MEMBERSHIP_PORT_BASE: String(f - 700),
          TEMPORAL_METRICS_PORT: String(this.ports.metrics),
          TEMPORAL_DYNAMIC_CONFIG: join(projectRoot, 'ops', 'temporal', 'dynamicconfig.yaml'),
          TEMPORAL_SERVER_TLS_CA_FILE: this.tls.server.ca,
          TEMPORAL_SERVER_TLS_CERT_FILE: this.tls.server.cert,
          TEMPORAL_SERVER_TLS_KEY_FILE: this.tls.server.key,
          ...this.authEnv,
        },
        output: this.logFile,
      },
    );
    const died = this.process.exited.then(() => {
      throw new Error(`the Temporal server exited at start; see ${this.logFile}`);
    });
    await Promise.race([waitForPort('127.0.0.1', f, 120_000), died]);
    await Promise.race([this.setUp(), died]);
    this.log(`Temporal server on ${this.address} (PostgreSQL ${this.db.host}:${this.db.port})`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.process?.stop({ signal });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Makes a build of a worker deployment current: new onboardings start on it (ops/temporal/release.sh). */
  async release(deploymentName: string, buildId: string): Promise<void> {
    await runOpsScript(
      'release.sh',
      {
        TEMPORAL_ADDRESS: this.address,
        TEMPORAL_DEPLOYMENT_NAME: deploymentName,
        TEMPORAL_BUILD_ID: buildId,
        ...tlsEnv(this.tls.admin, SERVER_NAME),
      },
      { cli: this.cli, log: this.log },
    );
  }

  /**
   * The `default` namespace and the search attributes, by the script docker-compose.yml runs too
   * (ops/temporal/setup.sh), with the project's temporal CLI; it waits until they are usable.
   */
  private async setUp(): Promise<void> {
    await runOpsScript(
      'setup.sh',
      { TEMPORAL_ADDRESS: this.address, ...tlsEnv(this.tls.admin, SERVER_NAME) },
      { cli: this.cli, log: this.log },
    );
  }
}
