/**
 * Public types of the rule engine. The string unions mirror the GraphQL enums of the public
 * contract (RuleAction, MatcherKind, BoardKind) so that values pass through unchanged.
 */

export type RuleAction = 'BLOCK' | 'HOLD' | 'FLAG' | 'WITHHOLD' | 'REDACT';
export type MatcherKind = 'KEYWORDS' | 'REGEX' | 'PROFANITY' | 'PII';
export type BoardKind = 'COMPANY' | 'PUBLIC';
/** The part of a post a rule looks at. */
export type TextField = 'title' | 'body';
/** What happens to the submission as a whole. */
export type Decision = 'BLOCK' | 'HOLD' | 'PUBLISH';

export const RULE_ACTIONS: readonly RuleAction[] = ['BLOCK', 'HOLD', 'FLAG', 'WITHHOLD', 'REDACT'];
export const MATCHER_KINDS: readonly MatcherKind[] = ['KEYWORDS', 'REGEX', 'PROFANITY', 'PII'];
export const BOARD_KINDS: readonly BoardKind[] = ['COMPANY', 'PUBLIC'];
export const TEXT_FIELDS: readonly TextField[] = ['title', 'body'];

export interface MatcherDefinition {
  readonly kind: MatcherKind;
  /**
   * KEYWORDS: the terms (required, at least one). PROFANITY: extra words added to the
   * bad-words list. A leading or trailing `*` drops the word boundary on that side
   * (`scam*` also matches "scammer").
   */
  readonly terms?: readonly string[] | null;
  /** REGEX: an RE2 pattern, run on the lightly normalised text (see docs/compliance.md). */
  readonly pattern?: string | null;
  /** PII: detector kinds; empty or missing means every built-in kind. */
  readonly piiKinds?: readonly string[] | null;
  /** PROFANITY: words of the bad-words list this rule does not use. */
  readonly exclude?: readonly string[] | null;

  // Normalisation of the text (KEYWORDS, PROFANITY; see "Normalisation v2" in
  // docs/compliance.md). Missing or null means the default.
  /** Decode HTML character references and percent-encoding (`&#102;&#117;ck`, `%66%75ck`). Default true. */
  readonly matchDecoded?: boolean | null;
  /** Join runs of three or more spaced-out letters (`s c a b`, `f.u.c.k`). Default true. */
  readonly matchSpaced?: boolean | null;
  /** Join single CJK characters written one per line or between commas (`六\n四`, `习，近，平`). Default true. */
  readonly matchLines?: boolean | null;
  /**
   * Read one or two mask characters inside a word as letters of a term of four or more letters
   * (`f*ck`, `sh*t`, `f**k`, `f#ck`), and inside Chinese terms (`法*功`, `傻X`, `六x四`).
   * Default true.
   */
  readonly matchMasks?: boolean | null;
  /** Find terms written backwards: Latin words of four letters or more (`kcuf`), CJK terms of three characters or more (`平近习`). Default true. */
  readonly matchReversed?: boolean | null;
  /** Two-character CJK terms do not hit where they straddle two words of the text (`方法轮流` for `法轮`). Default true. */
  readonly checkWords?: boolean | null;

  // Term expansion (KEYWORDS and PROFANITY; docs/compliance.md, "Term expansion").
  /**
   * Latin one-word terms also match their inflections and compounds: `scab` → "scabs",
   * "scabbing"; `shit` → "shitty", "bullshit", "shithead"; `arschloch` → "Arschlöcher".
   * Default true.
   */
  readonly matchInflections?: boolean | null;
  /**
   * Chinese terms of two or more characters also match their pinyin, joined or spaced
   * (`六四` → "liusi", "liu si"), and terms of three or more the initials as a whole word
   * (`法轮功` → "flg"); also half in pinyin or initials (`fa轮功`, `习jp`). Default true.
   */
  readonly matchPinyin?: boolean | null;
  /**
   * Chinese terms also match with characters of the same toneless syllable among the 6,763
   * of GB 2312 (`习近平` → 习进平, `六四` → 溜死). Default: terms of three or more
   * characters, and two-character terms with one character replaced and the other as written
   * (`翻墙` → 番墙, 翻樯); `true` also two-character terms with both replaced (a pair of
   * syllables recurs by chance in ordinary text: use it for a few specific terms), `false`
   * none. Numerals in financial form or as digits (`六四` → 陆肆, 6四) always match.
   */
  readonly matchHomophones?: boolean | null;
  /**
   * Chinese terms also match with a character written as two components, side by side or
   * one above the other (`好` → 女子, `法轮功` → 氵去车仑工力, `罢工` → 罒去工). Default true.
   */
  readonly matchSplitCharacters?: boolean | null;
}

export interface RuleDefinition {
  readonly id: string;
  readonly name: string;
  readonly matcher: MatcherDefinition;
  readonly action: RuleAction;
  /** Board kinds the rule applies to; empty or missing means all. */
  readonly boardKinds?: readonly BoardKind[] | null;
  /** Fields the rule applies to; empty or missing means title and body. */
  readonly fields?: readonly TextField[] | null;
  readonly legalBasis: string;
  readonly explanation: string;
  /** Disabled rules are left out of the compiled set. Default true. */
  readonly enabled?: boolean | null;
}

export interface RuleSetDefinition {
  readonly id: string;
  /** Jurisdiction code such as `CN`, `DE`, `US-CA` or a group such as `EU`. */
  readonly jurisdiction: string;
  readonly version: number;
  readonly rules: readonly RuleDefinition[];
}

export interface EvaluationContext {
  /**
   * Jurisdictions whose BLOCK/HOLD rules apply as written: the board's and the author's,
   * already expanded with the groups they belong to (a German author → `['DE', 'EU']`).
   * Rule sets of every other jurisdiction only withhold the post there.
   */
  readonly governingJurisdictions: readonly string[];
  /** Board kind of the post; rules scoped to other board kinds are skipped. Missing: all. */
  readonly boardKind?: BoardKind;
  /** Field being checked; rules scoped to the other field are skipped. Missing: all. */
  readonly field?: TextField;
}

export interface Span {
  /** UTF-16 offset into the original text, inclusive. */
  readonly start: number;
  /** UTF-16 offset into the original text, exclusive. */
  readonly end: number;
}

export interface RedactionSpan extends Span {
  /** Set when the span comes from a whole-post evaluation. */
  readonly field?: TextField;
}

/** The expansion of a term that produced a hit (see `MatcherDefinition`). */
export type TermExpansion =
  | 'inflection'
  | 'compound'
  | 'pinyin'
  | 'pinyinInitials'
  | 'homophone'
  | 'variant'
  | 'splitCharacters';

export interface RuleHit {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly ruleSetId: string;
  readonly jurisdiction: string;
  /** The action as written in the rule (see `ComplianceNotice.action` for the effective one). */
  readonly action: RuleAction;
  readonly matcherKind: MatcherKind;
  /** UTF-16 offsets into the ORIGINAL text: `text.slice(start, end) === matchedText`. */
  readonly start: number;
  readonly end: number;
  readonly matchedText: string;
  readonly legalBasis: string;
  readonly explanation: string;
  /** The field evaluated, when the context named one. */
  readonly field?: TextField;
  /** For PII hits: the detector kind that matched. */
  readonly piiKind?: string;
  /** For KEYWORDS and PROFANITY hits: the normalisation step the hit relies on. */
  readonly via?: MatchVia;
  /** For KEYWORDS and PROFANITY hits: the expansion of the term that matched, if not the term. */
  readonly expansion?: TermExpansion;
}

/**
 * How a term hit was found: `exact` in the folded text (case, width, look-alikes, leetspeak,
 * separators between CJK characters), or only after an optional step — `decoded` (HTML
 * character references, percent-encoding), `reversed` (written backwards), `masked`
 * (letters read through a mask), `spaced` (spaced-out letters joined), `lines` (single CJK
 * characters joined across line breaks or clause punctuation). A hit relying on several
 * steps names the first in this order: reversed, masked, spaced, lines, decoded.
 */
export type MatchVia = 'exact' | 'decoded' | 'reversed' | 'masked' | 'spaced' | 'lines';

export interface ComplianceNotice {
  readonly jurisdiction: string;
  readonly ruleId: string;
  readonly ruleName: string;
  /** The action as effectively applied (a non-governing BLOCK shows as WITHHOLD). */
  readonly action: RuleAction;
  /** The action as written in the rule. */
  readonly ruleAction: RuleAction;
  readonly governing: boolean;
  readonly legalBasis: string;
  readonly explanation: string;
}

export interface Outcome {
  readonly decision: Decision;
  /** Published (if at all) and queued for review. */
  readonly flagged: boolean;
  /** Spans to mask for every viewer (governing REDACT rules), merged and sorted. */
  readonly redactions: readonly RedactionSpan[];
  /** Jurisdictions whose viewers must not see the post, sorted. */
  readonly withheldIn: readonly string[];
  /** One notice per (jurisdiction, rule), most severe first. */
  readonly notices: readonly ComplianceNotice[];
  /** One line for logs, review queues and `RuleTestResult.outcome`. */
  readonly summary: string;
}

export interface Evaluation {
  readonly hits: readonly RuleHit[];
  readonly outcome: Outcome;
}

export interface PostEvaluation {
  readonly title: Evaluation;
  readonly body: Evaluation;
  /** Decision over both fields; redactions carry their field. */
  readonly outcome: Outcome;
  readonly redactedTitle: string;
  readonly redactedBody: string;
}

export interface RuleTestReport {
  readonly hits: readonly RuleHit[];
  readonly outcome: Outcome;
  readonly redactedText: string;
}

/** A PII detector: finds spans in the lightly normalised text (NFKC, no format characters). */
export interface PiiDetector {
  readonly kind: string;
  readonly description?: string;
  find(text: string): readonly Span[];
}

export interface CompileOptions {
  /** Extra PII detectors, by kind; a kind equal to a built-in one replaces it. */
  readonly piiDetectors?: readonly PiiDetector[];
  /** Replace the bad-words list used by PROFANITY rules (tests, other languages). */
  readonly profanityWords?: readonly string[];
}

export interface CompiledRulesStats {
  readonly ruleSets: number;
  readonly rules: number;
  /** Terms of KEYWORDS and PROFANITY rules, counted per rule. */
  readonly terms: number;
  /** Distinct normalised patterns in the automaton. */
  readonly patterns: number;
  readonly automatonStates: number;
  readonly regexRules: number;
  readonly piiRules: number;
}
