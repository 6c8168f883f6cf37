/**
 * For `jest.mock('pino', …)`: the real pino, except that a logger created without a
 * destination writes its lines to `keep` instead of stdout — the app's own `pino(options)`
 * call included, from the first line of start-up on. Use it as
 *
 *   const mockLogLines: string[] = [];
 *   jest.mock('pino', () =>
 *     jest.requireActual<typeof import('../../utils/pino-capture')>('../../utils/pino-capture')
 *       .capturingPino((line) => mockLogLines.push(line)));
 *
 * (`keep` is called only when lines are written, after the test file's own declarations ran.)
 */
export function capturingPino(keep: (line: string) => void): unknown {
  const actual = jest.requireActual<Record<string, unknown> & ((...args: unknown[]) => unknown)>(
    'pino',
  );
  const capture = {
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) if (line !== '') keep(line);
    },
  };
  const wrapped = Object.assign(
    (options?: unknown, stream?: unknown) => actual(options, stream ?? capture),
    actual,
  );
  return Object.assign(wrapped, { pino: wrapped, default: wrapped });
}
