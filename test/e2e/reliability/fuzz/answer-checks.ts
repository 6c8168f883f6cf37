import { ErrorCode } from '../../../../src/common/errors';
import { PROJECT_ROOT } from '../../../../src/common/project-root';

/** Every code a client may see: the stable set, without INTERNAL_SERVER_ERROR. */
export const CLIENT_CODES: ReadonlySet<string> = new Set(
  Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);

/** What must never reach a client: stack frames, source paths, driver and runtime errors. */
const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['a stack frame', /\n\s+at\s|\bat\s+\S+\s+\([^)]*:\d+:\d+\)|\bat\s+(?:async\s+)?\/\S+:\d+:\d+/],
  [
    'a source path',
    new RegExp(
      `${PROJECT_ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|node_modules|dist/src/|\\.ts:\\d+`,
    ),
  ],
  [
    'a database error',
    /QueryFailedError|SQLITE_|SqliteError|syntax error at or near|violates .* constraint|duplicate key value|value too long for type|invalid byte sequence|invalid input syntax for type/i,
  ],
  [
    'a runtime error',
    /\b(?:TypeError|ReferenceError|RangeError|SyntaxError: Unexpected)\b|Cannot read propert|is not a function|Maximum call stack/,
  ],
];

export interface Answer {
  status: number;
  text: string;
}

/**
 * The problems of one answer (empty when it is fine): a 5xx, a body that is not GraphQL-shaped
 * JSON, an error without a stable client code (INTERNAL_SERVER_ERROR included), a non-200
 * without errors, or anything internal in a message or in extensions.
 */
export function problemsOf(answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  else if (answer.status !== 200 && (answer.status < 400 || answer.status > 499))
    problems.push(`HTTP ${answer.status}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `a body that is not JSON: ${answer.text.slice(0, 200)}`];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [...problems, 'a body that is not a GraphQL response object'];
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (errors === undefined) {
    if (answer.status !== 200) problems.push(`HTTP ${answer.status} without errors`);
    if (data === undefined || data === null) problems.push('neither data nor errors');
    return problems;
  }
  if (!Array.isArray(errors) || errors.length === 0)
    return [...problems, 'errors that are not a non-empty list'];
  for (const error of errors as Array<Record<string, unknown>>) {
    const extensions = (error.extensions ?? {}) as Record<string, unknown>;
    const code = extensions.code;
    if (typeof error.message !== 'string') problems.push('an error without a message');
    if (typeof code !== 'string' || !CLIENT_CODES.has(code))
      problems.push(`error code ${String(code)}: ${String(error.message).slice(0, 300)}`);
    for (const key of ['stacktrace', 'exception', 'originalError', 'stack'])
      if (key in extensions) problems.push(`extensions.${key}`);
    const visible = `${String(error.message)}\n${JSON.stringify(extensions)}`;
    for (const [what, pattern] of LEAKS)
      if (pattern.test(visible)) problems.push(`${what} in an error: ${visible.slice(0, 300)}`);
  }
  return problems;
}
