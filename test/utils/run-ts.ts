import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root';

/**
 * A require hook that compiles `.ts` files with SWC as Jest does (decorators and their
 * metadata on, CommonJS), then runs the script given as the first argument. ES-module
 * packages (Nest, Apollo) load through Node's own `require` of ES modules, as in the build.
 */
const HOOK = `
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  });
  module._compile(code, filename);
};
require(require('node:path').resolve(process.argv[1]));
`;

/**
 * Runs a TypeScript entry point of the project (e.g. `src/cli.ts`) in a child process, from
 * the sources: no build needed, and never a stale `dist/`. `args` follow the script; the
 * child sees `process.argv.slice(2)` as they are.
 */
export function runTs(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeout = 60_000,
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-e', HOOK, '--', join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout,
  });
}
