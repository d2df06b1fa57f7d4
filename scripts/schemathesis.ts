/**
 * `npm run schemathesis`: installs the API fuzzer (schemathesis, from PyPI, at a pinned version)
 * into a virtual environment in the cache folder, once, and says where it is. The API fuzzing test
 * (test/http/openapi-fuzz.test.ts) runs it against the served OpenAPI document.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './temporal/binaries';
import { loadToolingConfig } from './temporal/config';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** Where the fuzzer's command is (whether or not it is installed yet). */
const venvDir = (): string => join(cacheDir(loadToolingConfig()), `schemathesis-${SCHEMATHESIS_VERSION}`);

export const schemathesisPath = (): string => join(venvDir(), 'bin', 'schemathesis');

export function installSchemathesis(): string {
  const command = schemathesisPath();
  if (existsSync(command)) return command;
  const venv = venvDir();
  const python = process.env['PYTHON'] ?? 'python3';
  console.log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv}`);
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    {
      stdio: 'inherit',
    },
  );
  return command;
}

if (require.main === module) {
  try {
    console.log(`schemathesis: ${installSchemathesis()}`);
  } catch (err) {
    console.error(`could not install schemathesis: ${err instanceof Error ? err.message : err}`);
    console.error('it needs python3 with venv and pip, and PyPI (or a mirror set in pip.conf)');
    process.exit(1);
  }
}
