/**
 * A LIKE pattern matching text that contains `term` as written: `%`, `_` and `\` in the term
 * are escaped, so use it with `ESCAPE '\'`.
 */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
