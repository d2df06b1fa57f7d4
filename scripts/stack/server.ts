/**
 * The Temporal server of the stack: the binary built from the pinned module, started with the
 * repository's configuration (ops/temporal/production.yaml, the file docker-compose.yml mounts), on
 * PostgreSQL. Restartable on the same database (the stack test restarts it mid-run). Once it is up:
 * the `default` namespace and the onboarding's search attributes (ops/temporal/setup.sh).
 */
import { join } from 'node:path';
import { Child } from '../child-process';
import { projectRoot } from '../temporal/config';
import { waitForPort } from '../temporal/dev-server';
import { runOpsScript } from './ops-script';
import type { Postgres } from './postgres';

export interface StackPorts {
  frontend: number;
  metrics: number;
}

export class TemporalServer {
  private process: Child | undefined;

  constructor(
    private readonly binary: string,
    /** The temporal CLI, which ops/temporal/setup.sh runs. */
    private readonly cli: string,
    private readonly db: Postgres,
    private readonly ports: StackPorts,
    private readonly logFile: string,
    private readonly log: (line: string) => void,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.ports.frontend}`;
  }

  async start(): Promise<void> {
    const f = this.ports.frontend;
    this.process = new Child(
      'the Temporal server',
      this.binary,
      [
        '--root',
        join(projectRoot, 'ops'),
        '--config',
        'temporal',
        '--env',
        'production',
        '--allow-no-auth',
        'start',
      ],
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

  /**
   * The `default` namespace and the search attributes, by the script docker-compose.yml runs too
   * (ops/temporal/setup.sh), with the project's temporal CLI; it waits until they are usable.
   */
  private async setUp(): Promise<void> {
    await runOpsScript('setup.sh', { TEMPORAL_ADDRESS: this.address }, { cli: this.cli, log: this.log });
  }
}
