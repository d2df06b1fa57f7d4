/**
 * `npm run browser`: finds Chromium for the browser tests, or installs Debian's package (as root,
 * with apt-get), and says where it is. Order: CHROMIUM_PATH; /usr/bin/chromium; `chromium` on
 * PATH; apt-get install chromium. Playwright's own browser download is not used: it needs the
 * internet, and the machines this project runs tests on reach only package registries.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findChromium(env: Record<string, string | undefined> = process.env): string | undefined {
  const explicit = env['CHROMIUM_PATH'];
  if (explicit) return executable(explicit) ? explicit : undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (executable(candidate)) return candidate;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return undefined;
}

function install(): void {
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : ['sudo', '-n'];
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd!, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  console.log('installing Debian package chromium (apt-get)');
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'chromium']);
}

if (require.main === module) {
  let found = findChromium();
  if (found === undefined) {
    try {
      install();
    } catch (err) {
      console.error(`could not install chromium: ${err instanceof Error ? err.message : err}`);
    }
    found = findChromium();
  }
  if (found === undefined) {
    console.error(
      'Chromium is required by the browser tests: install it (apt-get install chromium) or set CHROMIUM_PATH',
    );
    process.exit(1);
  }
  console.log(`chromium: ${found}`);
}
