/**
 * The production topology's binaries, built once from the Go module proxy into the cache folder
 * (`.temporal/stack/bin`, git-ignored), at the versions pinned here, which docker-compose.yml's
 * images use too: the Temporal server (the project's own build, ops/temporal/server, on the pinned
 * go.temporal.io/server: Temporal's server with its authorizer and the project's claim mapper),
 * its SQL schema tool, the Web UI server, and the identity provider (Dex, pinned by
 * scripts/stack/dex-build/go.mod). Go's module cache goes to `.temporal/go`, never the user's home.
 * The first build takes a few minutes; a change to the server's sources builds it again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../temporal/config';

/**
 * Pinned: the Temporal server (its module, schema files and image), the Web UI server and Dex
 * (docker-compose.yml uses the same). Dex's is the release that scripts/stack/dex-build/go.mod
 * requires as a pseudo-version.
 */
export const STACK_VERSIONS = { server: 'v1.29.1', ui: 'v2.45.1', dex: 'v2.45.1' } as const;

/** The project's Temporal server (a Go module of its own) and Dex's pinning module. */
export const SERVER_SOURCE = join(projectRoot, 'ops', 'temporal', 'server');
const DEX_BUILD = join(projectRoot, 'scripts', 'stack', 'dex-build');

/** Built by `go install pkg@version`. */
const installed = {
  sql: `go.temporal.io/server/cmd/tools/sql@${STACK_VERSIONS.server}`,
  ui: `github.com/temporalio/ui-server/v2/cmd/server@${STACK_VERSIONS.ui}`,
} as const;

export interface StackBinaries {
  server: string;
  sql: string;
  ui: string;
  dex: string;
  /** The server module's folder: its PostgreSQL schemas are in schema/postgresql/v12. */
  serverModule: string;
}

/** Go's settings for every build: its caches in the project's cache folder. */
export function goEnv(cacheDir: string): NodeJS.ProcessEnv {
  const gopath = join(cacheDir, 'go');
  return {
    ...process.env,
    GOPATH: gopath,
    GOMODCACHE: join(gopath, 'pkg', 'mod'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
}

/** A short digest of a module's sources, so that a change to them is built again. */
function sourceDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort())
    if (/\.go$|^go\.(mod|sum)$/.test(name)) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex').slice(0, 12);
}

export async function ensureStackBinaries(
  cacheDir: string,
  log: (line: string) => void,
): Promise<StackBinaries> {
  const env = goEnv(cacheDir);
  const binDir = (name: string) => join(cacheDir, 'stack', 'bin', name);
  const build = async (
    what: string,
    path: string,
    args: string[],
    options: { cwd?: string; env?: object },
  ) => {
    if (existsSync(path)) return path;
    mkdirSync(join(path, '..'), { recursive: true });
    log(`building ${what} (the first time takes minutes)`);
    await promisify(execFile)('go', args, {
      cwd: options.cwd,
      env: { ...env, ...options.env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return path;
  };

  const built = {} as Record<keyof typeof installed, string>;
  for (const [name, pkg] of Object.entries(installed) as Array<[keyof typeof installed, string]>) {
    // Each in its own folder: the UI server is built as `server`.
    const bin = binDir(`${name}-${pkg.split('@')[1]}`);
    built[name] = await build(pkg, join(bin, name === 'sql' ? 'sql' : 'server'), ['install', pkg], {
      env: { GOBIN: bin },
    });
  }
  const serverPath = join(
    binDir(`temporal-server-${STACK_VERSIONS.server}-${sourceDigest(SERVER_SOURCE)}`),
    'temporal-server',
  );
  // CGO off, as the Dockerfile builds it: its PostgreSQL driver is pure Go.
  const server = await build(
    `the Temporal server (ops/temporal/server, go.temporal.io/server ${STACK_VERSIONS.server})`,
    serverPath,
    ['build', '-o', serverPath, '.'],
    { cwd: SERVER_SOURCE, env: { CGO_ENABLED: '0' } },
  );
  const dexPath = join(binDir(`dex-${STACK_VERSIONS.dex}-${sourceDigest(DEX_BUILD)}`), 'dex');
  // With cgo, as Dex's image is built: its SQLite storage needs it.
  const dex = await build(
    `Dex ${STACK_VERSIONS.dex}`,
    dexPath,
    [
      'build',
      '-ldflags',
      `-X main.version=${STACK_VERSIONS.dex}`,
      '-o',
      dexPath,
      'github.com/dexidp/dex/cmd/dex',
    ],
    { cwd: DEX_BUILD },
  );
  const { stdout } = await promisify(execFile)(
    'go',
    ['mod', 'download', '-json', `go.temporal.io/server@${STACK_VERSIONS.server}`],
    { env },
  );
  return { ...built, server, dex, serverModule: (JSON.parse(stdout) as { Dir: string }).Dir };
}
