/**
 * The benchmark on the embedded default: a Temporal dev server of its own (free ports, never
 * 7233/8233, its SQLite database in the run's temporary folder) and one onboarding worker.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePorts } from '../free-ports';
import { loadToolingConfig } from '../temporal/config';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { BenchStack, type BenchStackOptions } from './bench-stack';

export class DevServerBenchStack extends BenchStack {
  readonly topology = 'the Temporal dev server (SQLite), one onboarding worker';
  readonly workerCount = 1;
  readonly dbFile = join(this.dir, 'temporal.sqlite');
  server!: DevServer;

  static start(options: BenchStackOptions): Promise<DevServerBenchStack> {
    return BenchStack.booted(new DevServerBenchStack(options.workerMode), options);
  }

  get address(): string {
    return this.server.address;
  }

  get cliPath(): string | undefined {
    return this.server.binary.path;
  }

  serverProcesses(): number | undefined {
    return this.server.process.pid;
  }

  protected async startServer(log: (line: string) => void): Promise<void> {
    const [port, uiPort] = (await freePorts(2)) as [number, number];
    this.server = await startDevServer(loadToolingConfig(), {
      dbFile: this.dbFile,
      port,
      uiPort,
      stdio: 'ignore',
    });
    this.cleanups.push(() => this.server.stop());
    log(`Temporal dev server ${this.server.address} (database ${this.dbFile})`);
  }

  protected clientEnv(): Record<string, string> {
    return {};
  }

  /** The SQLite file and its WAL. */
  databaseBytes(): number {
    return ['', '-wal', '-shm']
      .map((suffix) => this.dbFile + suffix)
      .filter((f) => existsSync(f))
      .reduce((sum, f) => sum + statSync(f).size, 0);
  }
}
