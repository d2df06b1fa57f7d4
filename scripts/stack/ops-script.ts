/**
 * Runs one of the shell scripts in ops/temporal/ (schema, setup, release): the same scripts
 * docker-compose.yml runs in the admin-tools image, here with the binaries this machine has.
 */
import { execFile } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../temporal/config';

export async function runOpsScript(
  script: 'schema.sh' | 'setup.sh' | 'release.sh',
  env: Record<string, string>,
  options: { cli?: string; log: (line: string) => void },
): Promise<void> {
  const path = options.cli
    ? `${dirname(options.cli)}${delimiter}${process.env['PATH'] ?? ''}`
    : (process.env['PATH'] ?? '');
  try {
    const { stdout } = await promisify(execFile)('sh', [join(projectRoot, 'ops', 'temporal', script)], {
      env: { ...process.env, ...env, PATH: path },
      timeout: 300_000,
    });
    for (const line of stdout.trim().split('\n')) if (line) options.log(line);
  } catch (err) {
    // A tool may print its connection settings: no password reaches the message.
    const secrets = Object.entries(env).filter(([k, v]) => /PASSWORD|TOKEN|KEY/.test(k) && v !== '');
    const stderr = secrets
      .reduce((text, [, v]) => text.split(v).join('[redacted]'), (err as { stderr?: string }).stderr ?? '')
      .trim();
    throw new Error(`ops/temporal/${script} failed${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}
