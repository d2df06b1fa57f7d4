/** The machine and the versions a run's figures belong to. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../temporal/config';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  loadAverage: number[];
}

export interface Versions {
  node: string;
  sdk: string;
  cli: string;
}

export const machine = (): Machine => ({
  cores: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: totalmem() / 2 ** 30,
  kernel: `Linux ${release()}`,
  loadAverage: loadavg(),
});

const packageVersion = (name: string): string => {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
};

export function versions(cliPath: string | undefined): Versions {
  let cli = 'unknown';
  if (cliPath) {
    try {
      cli = execFileSync(cliPath, ['--version'], { encoding: 'utf8' })
        .trim()
        .replace(/^temporal version /, '');
    } catch {
      // keep unknown
    }
  }
  return { node: process.version, sdk: packageVersion('@temporalio/worker'), cli };
}

export const describeMachine = (m: Machine): string =>
  `${m.cores} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB memory, ${m.kernel}`;

export const describeVersions = (v: Versions): string =>
  `node ${v.node}, Temporal TypeScript SDK ${v.sdk}, Temporal CLI ${v.cli}`;
