/**
 * What one benchmark run stands on, all on loopback and all stopped at the end, even on failure: a
 * Temporal server of its own (the dev server, scripts/bench/dev-server-stack.ts, or the production
 * topology, scripts/bench/production-stack.ts), the provider simulators in their own process, the
 * onboarding worker(s) and the skeleton worker as child processes (so /proc tells what each
 * costs), and the clients. This file holds what both topologies share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { OnboardingClient } from '../../src/client';
import { loadConfig, type Config } from '../../src/config';
import { temporalConnectionSettings } from '../../src/temporal/connection';
import { Child, type ChildOptions } from '../child-process';
import { projectRoot } from '../temporal/config';
import type { Processes } from './process-costs';

export const SKELETON_TASK_QUEUE = 'bench-skeleton';
const READY_TIMEOUT_MS = 120_000;

export interface SimulatorUrls {
  /** DATATRUST_BASE_URL, SECURITIES_BASE_URL, ...: what points the product's clients at them. */
  baseUrls: Record<string, string>;
  /** Each simulator's own origin, where `/_simulator/*` is served. */
  servers: Record<string, string>;
}

/** How the onboarding worker is run: the built worker with the prebundled workflow code, or from sources. */
export type WorkerMode = 'built' | 'tsx';

export function workerCommand(mode: WorkerMode): { command: string; args: string[] } {
  return mode === 'built'
    ? { command: process.execPath, args: [join(projectRoot, 'dist', 'src', 'worker.js')] }
    : { command: process.execPath, args: ['--import', 'tsx', join(projectRoot, 'src', 'worker.ts')] };
}

export interface BenchStackOptions {
  autoSignMs: number | null;
  workerMode: WorkerMode;
  log: (line: string) => void;
}

export abstract class BenchStack {
  readonly dir = mkdtempSync(join(tmpdir(), 'credit-onboarding-bench-'));
  simulators!: Child;
  urls!: SimulatorUrls;
  config!: Config;
  onboarding!: OnboardingClient;
  /** A client with the SDK's default data converter, for the skeleton. */
  plain!: Client;
  protected readonly cleanups: Array<() => Promise<void>> = [];
  private readonly children = new Set<Child>();

  /** What the figures were measured on, for the report's header. */
  abstract readonly topology: string;
  /** How many onboarding workers poll each task queue (`startWorkers`). */
  abstract readonly workerCount: number;
  /** The Temporal frontend's address. */
  abstract get address(): string;
  /** The processes that are the server: Temporal (and its database when it runs apart). */
  abstract serverProcesses(): Processes | undefined;
  /** The server's database on disk, in bytes. */
  abstract databaseBytes(): number;
  /** The Temporal CLI, whose version the report names. */
  abstract get cliPath(): string | undefined;
  /** Starts the server (and its database), registering what stops them. */
  protected abstract startServer(log: (line: string) => void): Promise<void>;
  /** What a process of this run connects to Temporal with (TLS files, for the production topology). */
  protected abstract clientEnv(role: 'driver' | 'worker' | 'skeleton'): Record<string, string>;

  protected constructor(readonly workerMode: WorkerMode) {}

  /** Boots `stack`, or stops what it had started and rethrows. */
  protected static async booted<T extends BenchStack>(stack: T, options: BenchStackOptions): Promise<T> {
    try {
      await stack.boot(options);
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  protected async boot(options: BenchStackOptions): Promise<void> {
    this.cleanups.push(async () => rmSync(this.dir, { recursive: true, force: true }));
    await this.startServer(options.log);

    const simulators = await this.spawn(
      'simulators',
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'simulators-process.ts'),
        JSON.stringify({ autoSignMs: options.autoSignMs }),
      ],
      { ready: /^\{"simulators"/ },
    );
    this.simulators = simulators.child;
    this.urls = (JSON.parse(simulators.readyLine) as { simulators: SimulatorUrls }).simulators;

    this.config = loadConfig(this.env({}, 'driver'));
    this.onboarding = await OnboardingClient.connect(this.config);
    this.cleanups.push(() => this.onboarding.client.connection.close());
    const settings = temporalConnectionSettings(this.config);
    const connection = await Connection.connect({
      address: settings.address,
      ...(settings.tls ? { tls: settings.tls } : {}),
    });
    this.plain = new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE });
    this.cleanups.push(() => connection.close());
  }

  /** The environment of the product's processes here: this server, these simulators. */
  env(
    extra: Record<string, string | undefined> = {},
    role: 'driver' | 'worker' | 'skeleton' = 'worker',
  ): Record<string, string | undefined> {
    return {
      ...process.env,
      TEMPORAL_ADDRESS: this.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'credit-onboarding',
      ...this.urls.baseUrls,
      ...this.clientEnv(role),
      ...extra,
    };
  }

  /** An onboarding worker process polling `taskQueue`. */
  async startWorker(taskQueue = 'credit-onboarding', extraEnv: Record<string, string> = {}): Promise<Child> {
    const { command, args } = workerCommand(this.workerMode);
    const worker = await this.spawn(`worker ${taskQueue}`, command, args, {
      env: this.env({ TEMPORAL_TASK_QUEUE: taskQueue, ...extraEnv }),
      ready: /credit-onboarding worker on/,
    });
    return worker.child;
  }

  /** The topology's onboarding workers (`workerCount` of them) polling `taskQueue`. */
  async startWorkers(
    taskQueue = 'credit-onboarding',
    extraEnv: Record<string, string> = {},
  ): Promise<Child[]> {
    const workers: Child[] = [];
    for (let i = 0; i < this.workerCount; i++) workers.push(await this.startWorker(taskQueue, extraEnv));
    return workers;
  }

  async startSkeletonWorker(): Promise<Child> {
    const skeleton = await this.spawn(
      'skeleton worker',
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'skeleton', 'worker.ts'), SKELETON_TASK_QUEUE],
      { env: this.env({}, 'skeleton'), ready: /skeleton worker polling/ },
    );
    return skeleton.child;
  }

  /**
   * A child process of this run, stopped with it; resolves once a line of its output matches
   * `ready` (within two minutes), with that line and the ms from spawn to it.
   */
  async spawn(
    name: string,
    command: string,
    args: string[],
    options: Omit<ChildOptions, 'cwd' | 'output'> & { ready: RegExp },
  ): Promise<{ child: Child; readyLine: string; readyMs: number }> {
    const child = new Child(name, command, args, { cwd: projectRoot, ...options });
    this.children.add(child);
    try {
      const { line, ms } = await child.untilLine(options.ready, READY_TIMEOUT_MS);
      return { child, readyLine: line, readyMs: ms };
    } catch (err) {
      await this.stopChild(child, 2_000);
      throw err;
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stopChild(child: Child, graceMs = 10_000): Promise<void> {
    this.children.delete(child);
    await child.stop({ graceMs });
  }

  async stop(): Promise<void> {
    // Workers first (they drain), then the simulators, the clients, the server, the folder.
    const workers = [...this.children].filter((c) => c.name !== 'simulators');
    await Promise.all(workers.map((c) => this.stopChild(c)));
    for (const c of [...this.children]) await this.stopChild(c);
    for (const fn of this.cleanups.reverse()) await fn().catch(() => undefined);
    this.cleanups.length = 0;
  }
}
