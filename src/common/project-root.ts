import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's root folder (the one with package.json), found from this file's location so
 * it is the same whether the code runs from src/ (tests) or dist/src/ (build).
 */
export const PROJECT_ROOT: string = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the project root from ' + __dirname);
    dir = parent;
  }
  return dir;
})();

export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
