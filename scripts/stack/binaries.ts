/**
 * The production topology's binaries, built once from the Go module proxy into the cache folder
 * (`.temporal/stack/bin`, git-ignored), at the versions pinned here, which docker-compose.yml's
 * images use too: the Temporal server, its SQL schema tool, and the Web UI server. Go's module
 * cache goes to `.temporal/go`, never the user's home. The first build takes a few minutes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Pinned: the Temporal server (and its schema files), and the Web UI server (docker-compose.yml uses the same). */
export const STACK_VERSIONS = { server: 'v1.29.1', ui: 'v2.45.1' } as const;

const packages = {
  server: `go.temporal.io/server/cmd/server@${STACK_VERSIONS.server}`,
  sql: `go.temporal.io/server/cmd/tools/sql@${STACK_VERSIONS.server}`,
  ui: `github.com/temporalio/ui-server/v2/cmd/server@${STACK_VERSIONS.ui}`,
} as const;

export interface StackBinaries {
  server: string;
  sql: string;
  ui: string;
  /** The server module's folder: its PostgreSQL schemas are in schema/postgresql/v12. */
  serverModule: string;
}

export async function ensureStackBinaries(
  cacheDir: string,
  log: (line: string) => void,
): Promise<StackBinaries> {
  const gopath = join(cacheDir, 'go');
  const env = {
    ...process.env,
    GOPATH: gopath,
    GOMODCACHE: join(gopath, 'pkg', 'mod'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
  const built = {} as Record<keyof typeof packages, string>;
  for (const [name, pkg] of Object.entries(packages) as Array<[keyof typeof packages, string]>) {
    // Each in its own folder: the server and the UI server are both built as `server`.
    const bin = join(cacheDir, 'stack', 'bin', `${name}-${pkg.split('@')[1]}`);
    const path = join(bin, name === 'sql' ? 'sql' : 'server');
    if (!existsSync(path)) {
      mkdirSync(bin, { recursive: true });
      log(`building ${pkg} with go install (the first time takes minutes)`);
      await promisify(execFile)('go', ['install', pkg], {
        env: { ...env, GOBIN: bin },
        maxBuffer: 16 * 1024 * 1024,
      });
    }
    built[name] = path;
  }
  const { stdout } = await promisify(execFile)(
    'go',
    ['mod', 'download', '-json', `go.temporal.io/server@${STACK_VERSIONS.server}`],
    { env },
  );
  return { ...built, serverModule: (JSON.parse(stdout) as { Dir: string }).Dir };
}
