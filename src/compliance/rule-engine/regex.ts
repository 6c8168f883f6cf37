import { RE2JS } from 're2js';

/**
 * REGEX rules run on re2js, a port of RE2: matching is linear in the text length whatever
 * the pattern, so no pattern can backtrack catastrophically. Syntax that needs backtracking
 * (backreferences, lookahead, lookbehind) does not exist in RE2 and is refused when the
 * rule is compiled, with a message that says why.
 */

export const MAX_PATTERN_LENGTH = 2000;
/**
 * RE2 runs in O(text × program): linear in the text, but a program of thousands of
 * instructions (`\w{1000}`) costs ~10 µs per character. 500 instructions leaves room for any
 * realistic pattern (a phone or code-name pattern is 10–60) and bounds the cost per post.
 */
export const MAX_PROGRAM_SIZE = 500;

export interface CompiledRegex {
  readonly regex: RE2JS;
  /**
   * Literals that must occur in the text for the pattern to match (from RE2's prefilter
   * tree); null when nothing is known.
   */
  readonly prefilter: LiteralCondition | null;
}

/**
 * All parts, or any part, must hold; a string must occur; a RegExp (a case-insensitive
 * ASCII literal, for `(?i)` patterns) must match.
 */
export type LiteralCondition =
  | string
  | RegExp
  | { readonly all: readonly LiteralCondition[] }
  | { readonly any: readonly LiteralCondition[] };

function holds(condition: LiteralCondition, text: string): boolean {
  if (typeof condition === 'string') return text.includes(condition);
  if (condition instanceof RegExp) return condition.test(text);
  if ('all' in condition) return condition.all.every((part) => holds(part, text));
  return condition.any.some((part) => holds(part, text));
}

function literalsIn(condition: LiteralCondition): string[] {
  if (typeof condition === 'string') return [condition];
  if (condition instanceof RegExp) return [condition.source];
  return ('all' in condition ? condition.all : condition.any).flatMap(literalsIn);
}

function ignoringCase(condition: LiteralCondition): LiteralCondition {
  if (typeof condition === 'string') {
    // Only ASCII literals get here; escape every non-alphanumeric character.
    return new RegExp(
      condition.replace(
        /[^A-Za-z0-9]/g,
        (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
      ),
      'i',
    );
  }
  if (condition instanceof RegExp) return condition;
  if ('all' in condition) return { all: condition.all.map(ignoringCase) };
  return { any: condition.any.map(ignoringCase) };
}

export type RegexProblem =
  | { readonly code: 'INVALID_REGEX'; readonly message: string }
  | { readonly code: 'UNSUPPORTED_REGEX'; readonly message: string }
  | { readonly code: 'REGEX_TOO_LARGE'; readonly message: string };

const UNSUPPORTED: readonly (readonly [RegExp, string])[] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…))'],
  [/(^|[^\\])(\\\\)*\\[1-9]/, 'backreferences (\\1 … \\9)'],
  [/\\k<[^>]*>/, 'named backreferences (\\k<name>)'],
  [/(^|[^\\])(\\\\)*[*+?}][+]/, 'possessive quantifiers (*+, ++, ?+)'],
  [/\(\?>/, 'atomic groups ((?>…))'],
];

export function compileRegex(pattern: string): CompiledRegex | RegexProblem {
  if (pattern.length === 0) return { code: 'INVALID_REGEX', message: 'the pattern is empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      code: 'REGEX_TOO_LARGE',
      message: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    };
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    for (const [probe, feature] of UNSUPPORTED) {
      if (probe.test(pattern)) {
        return {
          code: 'UNSUPPORTED_REGEX',
          message:
            `the pattern uses ${feature}, which can take exponential time and is not ` +
            `supported: patterns follow RE2 syntax, which guarantees matching in linear time (${detail})`,
        };
      }
    }
    return {
      code: 'INVALID_REGEX',
      message: `invalid regular expression (RE2 syntax): ${detail}`,
    };
  }
  const size = regex.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    return {
      code: 'REGEX_TOO_LARGE',
      message: `the pattern compiles to ${size} instructions; the limit is ${MAX_PROGRAM_SIZE}, as every instruction costs time on every post (reduce repetition counts such as {300})`,
    };
  }
  const prefilter = prefilterOf(regex);
  if (prefilter !== null) return { regex, prefilter };
  return { regex, ...caseInsensitivePrefilter(pattern) };
}

const LEADING_I_FLAG = /^\(\?([a-zA-Z]*)i([a-zA-Z]*)\)/;

/**
 * RE2 builds no prefilter for case-insensitive patterns. For a pattern that starts with a
 * flag group containing `i`, the literals of the same pattern without `i` are required up
 * to case. We keep them only if they are ASCII: the light view is NFKC-normalised, which
 * removes the only non-ASCII case variants of ASCII letters (U+017F ſ, U+212A K), so the
 * lower-cased text then contains the lower-cased literal whenever the pattern matches.
 */
function caseInsensitivePrefilter(pattern: string): Pick<CompiledRegex, 'prefilter'> {
  const none = { prefilter: null };
  const flags = LEADING_I_FLAG.exec(pattern);
  if (flags === null) return none;
  const rest = flags[1] + flags[2];
  const sensitive = (rest === '' ? '' : `(?${rest})`) + pattern.slice(flags[0].length);
  let prefilter: LiteralCondition | null;
  try {
    prefilter = prefilterOf(RE2JS.compile(sensitive));
  } catch {
    return none;
  }
  if (prefilter === null || literalsIn(prefilter).some((l) => !/^[\x20-\x7e]+$/.test(l))) {
    return none;
  }
  return { prefilter: ignoringCase(prefilter) };
}

export function isRegexProblem(value: CompiledRegex | RegexProblem): value is RegexProblem {
  return 'code' in value;
}

/** Finds all non-empty, non-overlapping matches as [start, end] pairs (UTF-16 units). */
export function findAll(compiled: CompiledRegex, text: string, out: number[]): void {
  if (compiled.prefilter !== null && !holds(compiled.prefilter, text)) return;
  // A boolean test runs RE2's DFA, several times faster than finding positions.
  if (!compiled.regex.test(text)) return;
  const matcher = compiled.regex.matcher(text);
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    if (end > start) out.push(start, end);
  }
}

// re2js 2.x builds a prefilter tree (EXACT / AND / OR) on the compiled program. We only
// read it; when its shape is not the expected one the rule simply runs without prefilter.
interface PrefilterNode {
  readonly type?: unknown;
  readonly str?: unknown;
  readonly subs?: unknown;
}

const EXACT = 1;
const AND = 2;
const OR = 3;

function prefilterOf(regex: RE2JS): LiteralCondition | null {
  const re2: unknown = regex.re2();
  const prefilter =
    typeof re2 === 'object' && re2 !== null && 'prefilter' in re2 ? re2.prefilter : null;
  return conditionOf(prefilter as PrefilterNode | null);
}

function conditionOf(node: PrefilterNode | null): LiteralCondition | null {
  if (node === null || typeof node !== 'object') return null;
  const subs = Array.isArray(node.subs) ? (node.subs as PrefilterNode[]) : [];
  switch (node.type) {
    case EXACT:
      return typeof node.str === 'string' && node.str.length > 0 ? node.str : null;
    case AND: {
      // Every conjunct is necessary; unknown ones are left out.
      const parts = subs.map(conditionOf).filter((part) => part !== null);
      return parts.length === 0 ? null : parts.length === 1 ? parts[0] : { all: parts };
    }
    case OR: {
      const parts = subs.map(conditionOf);
      if (parts.length === 0 || parts.some((part) => part === null)) return null;
      return { any: parts as LiteralCondition[] };
    }
    default:
      return null;
  }
}
