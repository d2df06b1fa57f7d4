/** The folder with the project's package.json, whether running from sources (tsx) or dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const projectRoot = ((): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
