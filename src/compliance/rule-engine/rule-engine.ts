import { AhoCorasickBuilder, type AhoCorasick } from './aho-corasick';
import { IntList } from './int-list';
import { straddlesTwoWords } from './cjk-words';
import { isGermanHomograph } from './german-text';
import { RuleCompileError } from './errors';
import {
  K_CJK as CJK_KIND,
  K_DIGIT as DIGIT_KIND,
  K_WORD as WORD_KIND,
  M_DECODED,
  M_LINES,
  M_MASKED,
  M_REVERSED,
  M_SPACED,
  MatchView,
  lightToOriginal,
  lightView,
  type LightView,
} from './normalizer';
import { foldTermHomophones, foldTextHomophones } from './homophones';
import { findMaskedWords, MIN_MASKED_TERM_LETTERS, walkMaskedWord } from './mask-match';
import { hasConsonantWord, MixedView, mixedStretches } from './mixed-pinyin';
import {
  findCjkMasks,
  findCjkTrailingMasks,
  MIN_CJK_MASKED_TERM,
  MIN_CJK_VISIBLE,
} from './cjk-mask';
import { decideOutcome, normalizeJurisdiction } from './outcome';
import { BUILTIN_PII_DETECTORS, PII_ALIASES } from './pii';
import { badWordsList } from './profanity';
import { redact } from './redact';
import { compileRegex, findAll, isRegexProblem, type CompiledRegex } from './regex';
import {
  VIA_CODES,
  expandTerm,
  expansionOptionsOf,
  isHanTerm,
  isInflectable,
  looksGerman,
  matchAffixes,
  readingsInContext,
  viaCode,
  type ExpansionOptions,
} from './term-expansion';
import {
  BOARD_KINDS,
  MATCHER_KINDS,
  RULE_ACTIONS,
  TEXT_FIELDS,
  type BoardKind,
  type CompiledRulesStats,
  type CompileOptions,
  type Evaluation,
  type EvaluationContext,
  type MatcherDefinition,
  type MatcherKind,
  type MatchVia,
  type TermExpansion,
  type PiiDetector,
  type PostEvaluation,
  type RuleAction,
  type RuleDefinition,
  type RuleHit,
  type RuleSetDefinition,
  type RuleTestReport,
  type TextField,
} from './types';

// Position kinds as module constants: the compiled module reads imports as properties of
// the imported module on every use, which the matching loops below would pay per position.
const K_CJK = CJK_KIND;
const K_DIGIT = DIGIT_KIND;
const K_WORD = WORD_KIND;

const SCOPE_COMPANY = 1;
const SCOPE_PUBLIC = 2;
const SCOPE_BOARDS = SCOPE_COMPANY | SCOPE_PUBLIC;
const SCOPE_TITLE = 4;
const SCOPE_BODY = 8;
const SCOPE_FIELDS = SCOPE_TITLE | SCOPE_BODY;

const LEFT_BOUNDARY = 1;
const RIGHT_BOUNDARY = 2;
/** `*term`: the hit extends to the start of the word. */
const LEFT_WILDCARD = 4;
/** `term*`: the hit extends to the end of the word. */
const RIGHT_WILDCARD = 8;
/** A Latin word: also matches inside a longer word as an inflection or compound. */
const AFFIXES = 16;
/** With AFFIXES: German endings too. */
const AFFIXES_GERMAN = 32;
/** A stem (`whor`): matches only with an ending or compound tail after it. */
const NEEDS_TAIL = 64;
/**
 * A homophone-folded two-character term: one character of the text must be the term's own
 * and the other another character of the same sound (see `ExpansionOptions.homophonePairs`).
 */
const KEEP_ONE = 128;
/** The flags that say where a pattern may match; the affix flags only widen a bounded one. */
const PLACEMENT = LEFT_BOUNDARY | RIGHT_BOUNDARY | LEFT_WILDCARD | RIGHT_WILDCARD | NEEDS_TAIL;

export const MAX_TERM_LENGTH = 200;

interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly ruleSetId: string;
  readonly jurisdiction: string;
  readonly action: RuleAction;
  readonly matcherKind: MatcherKind;
  readonly legalBasis: string;
  readonly explanation: string;
  readonly scope: number;
  readonly regex: CompiledRegex | null;
  readonly piiDetectors: readonly PiiDetector[];
  /** `M_*` marks of the match view this rule's terms may rely on (its options). */
  readonly allowedMarks: number;
  /** Two-character CJK matches straddling two words are rejected (`checkWords`). */
  readonly checkWords: boolean;
}

/** Patterns of the automaton with their verification data and rules, in flat arrays. */
interface PatternTable {
  readonly automaton: AhoCorasick;
  /** Per state: first pattern index + 1 ending there (0: none). */
  readonly stateHead: Int32Array;
  /** Per pattern: next pattern index + 1 at the same state. */
  readonly next: Int32Array;
  readonly length: Int32Array;
  readonly flags: Uint8Array;
  readonly runStart: Int32Array;
  readonly runs: Int32Array;
  readonly ruleStart: Int32Array;
  readonly rules: Int32Array;
  /** Parallel to `rules`: the expansion (VIA_CODES) that made the pattern for that rule. */
  readonly ruleVia: Uint8Array;
  /** Some patterns are homophone-folded terms: search the folded text too. */
  readonly homophones: boolean;
  /** Some patterns are pinyin spellings: read half-pinyin stretches too. */
  readonly pinyin: boolean;
  /**
   * Bit per `reversedWordKey` of the whole-word patterns: a word of the text read backwards
   * can only be one of them when its bit is set (most words are skipped without a walk).
   */
  readonly reversedWords: Int32Array;
  /** Per pattern with KEEP_ONE (few): the term's two code points before folding. */
  readonly kept: ReadonlyMap<number, readonly number[]>;
}

/** 2^20 bits: tens of thousands of whole-word patterns (pinyin included) set a few per cent. */
const REVERSED_WORD_BITS = 20;
/** Hash multipliers of `reversedWordKey`. */
const KEY_A = 0x9e3779b1;
const KEY_B = 0x85ebca6b;
const KEY_C = 0xc2b2ae35;
const KEY_D = 0x27d4eb2f;

function hasReversedWord(bits: Int32Array, key: number): boolean {
  return (bits[key >>> 5] & (1 << (key & 31))) !== 0;
}

/**
 * Key of a whole word by its first two and last two code points and its positions. Two at
 * each end, not one: with one, English words' first and last letters and lengths hit about
 * two in five of the bits that tens of thousands of Latin and pinyin patterns set, and each
 * hit costs a walk of the trie.
 */
function reversedWordKey(
  first: number,
  second: number,
  beforeLast: number,
  last: number,
  length: number,
): number {
  const h =
    Math.imul(first ^ Math.imul(second, KEY_D), KEY_A) ^
    Math.imul(last ^ Math.imul(beforeLast, KEY_D), KEY_B) ^
    Math.imul(length, KEY_C);
  return h >>> (32 - REVERSED_WORD_BITS);
}

const sharedView = new MatchView(4096);
const sharedMixedView = new MixedView();
const PINYIN_VIA = viaCode('pinyin');
const PINYIN_INITIALS_VIA = viaCode('pinyinInitials');
/** The match view's code points in reverse order, for the reversed pass. */
let reversedCps = new Int32Array(4096);
/** First and last view positions of the runs the reversed pass reads. */
let reversedRuns = new Int32Array(1024);

/** Fewest CJK characters of a term found written backwards ("四六级" must not hit 六四). */
const MIN_REVERSED_CJK = 3;
/**
 * A two-character term written backwards counts only when those are the text's only CJK
 * characters (`四六`, `墙翻！`; not `四六级`, `分成四六开` or `比例：四六`): beside other Chinese
 * nearly every reversed pair of a term is some other word or a ratio.
 */
const REVERSED_PAIR = 2;
/** Whether positions `first..last` are the only CJK positions of the view. */
function onlyCjkAt(kinds: Uint8Array, n: number, first: number, last: number): boolean {
  for (let k = 0; k < n; k++) {
    if (kinds[k] === K_CJK && (k < first || k > last)) return false;
  }
  return true;
}

/** Fewest letters of a Latin term found written backwards ("god" is "dog"). */
const MIN_REVERSED_LETTERS = 4;
/** Fewest positions of such a term (a term of four letters with a double one has three). */
const MIN_REVERSED_POSITIONS = 3;

/**
 * Rule sets compiled for evaluation: every KEYWORDS and PROFANITY term in one Aho–Corasick
 * automaton over normalised text, REGEX rules as RE2 programs behind literal prefilters, PII
 * rules as detector lists. Immutable; build once per published version and share.
 */
export class CompiledRules {
  readonly stats: CompiledRulesStats;
  /** REGEX and PII rules that apply, by board and field scope bits (filled on first use). */
  private readonly regexRulesByScope: (readonly number[] | undefined)[] = [];
  private readonly piiRulesByScope: (readonly number[] | undefined)[] = [];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly patterns: PatternTable | null,
    private readonly regexRules: readonly number[],
    private readonly piiRules: readonly number[],
    stats: CompiledRulesStats,
  ) {
    this.stats = stats;
  }

  /** Approximate bytes of the automaton's typed arrays (the heap holds the rest). */
  automatonBytes(): number {
    const p = this.patterns;
    if (p === null) return 0;
    return (
      p.automaton.byteSize() +
      p.stateHead.byteLength +
      p.next.byteLength +
      p.length.byteLength +
      p.flags.byteLength +
      p.runStart.byteLength +
      p.runs.byteLength +
      p.ruleStart.byteLength +
      p.rules.byteLength +
      p.ruleVia.byteLength +
      p.reversedWords.byteLength
    );
  }

  evaluate(text: string, context: EvaluationContext): Evaluation {
    const boards =
      context.boardKind === undefined
        ? SCOPE_BOARDS
        : context.boardKind === 'COMPANY'
          ? SCOPE_COMPANY
          : SCOPE_PUBLIC;
    const fields =
      context.field === undefined
        ? SCOPE_FIELDS
        : context.field === 'title'
          ? SCOPE_TITLE
          : SCOPE_BODY;
    const raw: RawHit[] = [];
    if (this.patterns !== null && text.length > 0) this.matchTerms(text, boards, fields, raw);
    const regexRules = this.applicable(this.regexRules, this.regexRulesByScope, boards, fields);
    const piiRules = this.applicable(this.piiRules, this.piiRulesByScope, boards, fields);
    if ((regexRules.length > 0 || piiRules.length > 0) && text.length > 0) {
      const light = lightView(text);
      this.matchRegex(light, regexRules, raw);
      this.matchPii(light, piiRules, raw);
    }
    const hits = this.toHits(text, dedupe(raw), context.field);
    return { hits, outcome: decideOutcome(hits, context.governingJurisdictions) };
  }

  /** The rules of `all` that apply to a board kind and field, remembered per scope. */
  private applicable(
    all: readonly number[],
    byScope: (readonly number[] | undefined)[],
    boards: number,
    fields: number,
  ): readonly number[] {
    const scope = boards | fields;
    let rules = byScope[scope];
    if (rules === undefined) {
      rules = all.filter((r) => this.applies(r, boards, fields));
      byScope[scope] = rules;
    }
    return rules;
  }

  private applies(ruleIndex: number, boards: number, fields: number): boolean {
    const scope = this.rules[ruleIndex].scope;
    return (scope & boards) !== 0 && (scope & fields) !== 0;
  }

  private matchTerms(text: string, boards: number, fields: number, out: RawHit[]): void {
    const p = this.patterns;
    if (p === null) return;
    const view = sharedView.normalize(text);
    const found = p.automaton.search(view.cps, view.length);
    this.verifyMatches(p, text, view, found, boards, fields, out);
    this.matchMasked(text, view, boards | fields, out);
    this.matchReversed(view, boards, fields, out);
    if (!view.hasCjk) return;
    this.matchMixedPinyin(view, boards, fields, out);
    this.matchCjkMasked(text, view, boards, fields, out);
    if (!p.homophones) return;
    const folded = foldTextHomophones(view.cps, view.kinds, view.length);
    if (folded !== null) {
      const homophones = p.automaton.search(folded, view.length);
      this.verifyMatches(p, text, view, homophones, boards, fields, out);
    }
  }

  /** Checks boundaries and repeats of the automaton's last `count` matches; adds the hits. */
  private verifyMatches(
    p: PatternTable,
    text: string,
    view: MatchView,
    count: number,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    const matchStates = p.automaton.matchStates;
    const matchEnds = p.automaton.matchEnds;
    const kinds = view.kinds;
    const runs = view.runs;
    for (let m = 0; m < count; m++) {
      const last = matchEnds[m];
      for (let q = p.stateHead[matchStates[m]]; q !== 0; q = p.next[q - 1]) {
        const pattern = q - 1;
        const length = p.length[pattern];
        const flags = p.flags[pattern];
        const first = last - length + 1;
        // Most homophone pairs found in folded text are other words of the same sounds.
        if ((flags & KEEP_ONE) !== 0 && !keepsOne(view, first, p.kept.get(pattern))) continue;
        const left = (flags & LEFT_BOUNDARY) !== 0;
        const right = (flags & RIGHT_BOUNDARY) !== 0;
        const leftOpen = left && first > 0 && isWordKind(kinds[first - 1]);
        const rightOpen = right && last + 1 < view.length && isWordKind(kinds[last + 1]);
        let affixVia: TermExpansion | undefined;
        let wordStart = first;
        let wordEnd = last;
        if (leftOpen || rightOpen || (flags & NEEDS_TAIL) !== 0) {
          if ((flags & AFFIXES) === 0 || ((flags & NEEDS_TAIL) !== 0 && !rightOpen)) continue;
          const affix = matchAffixes(
            view,
            first,
            last,
            leftOpen,
            rightOpen,
            (flags & AFFIXES_GERMAN) !== 0,
            text,
          );
          if (affix === null) continue;
          affixVia = affix.via;
          wordStart = affix.wordStart;
          wordEnd = affix.wordEnd;
        }
        const runStart = p.runStart[pattern];
        let ok = true;
        for (let k = 0; k < length; k++) {
          const textRun = runs[first + k];
          const termRun = p.runs[runStart + k];
          if (textRun === termRun) continue;
          const openEdge = (k === 0 && !left) || (k === length - 1 && (!right || rightOpen));
          if (openEdge ? textRun > termRun : textRun >= 3 && textRun > termRun) continue;
          ok = false;
          break;
        }
        if (!ok) continue;
        // Exactly one character as in the term: both as written is the term's own pattern.
        const marks = view.marksOf(first, last);
        // 1: straddles two words of the text, 0: does not, -1: not checked yet.
        let straddles = length === 2 && kinds[first] === K_CJK && kinds[last] === K_CJK ? -1 : 0;
        // Unbounded (CJK) edges start/end inside a run: cover only the characters matched.
        const firstTermRun = p.runs[runStart];
        const lastTermRun = p.runs[runStart + length - 1];
        let start =
          !left && firstTermRun === 1 && runs[first] > 1
            ? view.startsLast[first]
            : view.starts[first];
        let end =
          !right && length > 1 && lastTermRun === 1 && runs[last] > 1
            ? view.endsFirst[last]
            : view.ends[last];
        if ((flags & LEFT_WILDCARD) !== 0) {
          let k = first;
          while (k > 0 && isWordKind(kinds[k - 1])) k--;
          start = view.starts[k];
        }
        if ((flags & RIGHT_WILDCARD) !== 0) {
          let k = last;
          while (k + 1 < view.length && isWordKind(kinds[k + 1])) k++;
          end = view.ends[k];
        }
        if (leftOpen) start = view.starts[wordStart];
        if (rightOpen) end = view.ends[wordEnd];
        if (left && right && isGermanHomograph(text, start, end)) continue;
        for (let r = p.ruleStart[pattern]; r < p.ruleStart[pattern + 1]; r++) {
          const rule = p.rules[r];
          if (marks !== 0 && (marks & ~this.rules[rule].allowedMarks) !== 0) continue;
          const expansion = affixVia ?? VIA_CODES[p.ruleVia[r]];
          // Split components (氵去) are no words of their own: the word check does not apply.
          if (straddles !== 0 && this.rules[rule].checkWords && expansion !== 'splitCharacters') {
            if (straddles < 0) straddles = straddlesTwoWords(text, start, end) ? 1 : 0;
            if (straddles === 1) continue;
          }
          if (this.applies(rule, boards, fields))
            out.push({ rule, start, end, piiKind: undefined, marks, expansion });
        }
      }
    }
  }

  /**
   * Terms written backwards ("kcuf", "平近习"): the view read from its end, matched by the
   * same automaton. Only whole Latin words of four letters or more and CJK runs of three
   * characters or more count, as shorter reversals are ordinary words ("dog", "四六级").
   * A reversed match lies inside one run of Latin letters or of CJK characters, so only
   * those runs are read: a CJK run of three or more through the automaton, a whole word by
   * a walk down the trie (it must match the word exactly). Runs go from the end of the view
   * to its start, in the order a search of the whole reversed view finds their matches.
   */
  private matchReversed(view: MatchView, boards: number, fields: number, out: RawHit[]): void {
    const p = this.patterns;
    if (p === null) return;
    const { kinds, cps, runs } = view;
    const n = view.length;
    // Forward: the runs that could hold a reversed term (first and last position of each).
    if (reversedRuns.length < n + 2) reversedRuns = new Int32Array(2 * n + 2);
    const candidates = reversedRuns;
    const bits = p.reversedWords;
    let found = 0;
    /** Adds the Latin word `k..e-1` when it could be a whole-word term backwards. */
    const word = (k: number, e: number): void => {
      const size = e - k;
      if (
        size >= MIN_REVERSED_POSITIONS &&
        (k === 0 || kinds[k - 1] !== K_DIGIT) &&
        (e === n || kinds[e] !== K_DIGIT) &&
        // Read backwards, the word's last position is the pattern's first.
        hasReversedWord(bits, reversedWordKey(cps[e - 1], cps[e - 2], cps[k + 1], cps[k], size))
      ) {
        let letters = 0;
        for (let q = k; q < e; q++) letters += runs[q];
        if (letters >= MIN_REVERSED_LETTERS) {
          candidates[found++] = k;
          candidates[found++] = e - 1;
        }
      }
    };
    if (!view.hasCjk && view.wordCount >= 0) {
      // Latin text whose words the normaliser listed: no need to read every position. The
      // bit table rejects nearly every word, so it is read first, inline.
      const words = view.words;
      const end = 2 * view.wordCount;
      for (let w = 0; w < end; w += 2) {
        const k = words[w];
        const e = words[w + 1];
        const size = e - k;
        if (size < MIN_REVERSED_POSITIONS) continue;
        const key = reversedWordKey(cps[e - 1], cps[e - 2], cps[k + 1], cps[k], size);
        if ((bits[key >>> 5] & (1 << (key & 31))) !== 0) word(k, e);
      }
    } else {
      let k = 0;
      while (k < n) {
        const kind = kinds[k];
        let e = k + 1;
        while (e < n && kinds[e] === kind) e++;
        if (kind === K_CJK) {
          if (e - k >= MIN_REVERSED_CJK || e - k === REVERSED_PAIR) {
            candidates[found++] = k;
            candidates[found++] = e - 1;
          }
        } else if (kind === K_WORD) {
          word(k, e);
        }
        k = e;
      }
    }
    // Backward over the candidates, as a search of the whole reversed view would find them.
    for (let c = found - 2; c >= 0; c -= 2) {
      const from = candidates[c];
      const to = candidates[c + 1];
      const size = to - from + 1;
      if (kinds[from] === K_CJK) {
        if (reversedCps.length < size) reversedCps = new Int32Array(2 * size);
        for (let q = 0; q < size; q++) reversedCps[q] = cps[to - q];
        const count = p.automaton.search(reversedCps, size);
        for (let m = 0; m < count; m++) {
          const first = to - p.automaton.matchEnds[m];
          this.verifyReversed(p, view, p.automaton.matchStates[m], first, boards, fields, out);
        }
      } else {
        let state = 0;
        for (let q = to; q >= from && state !== -1; q--) state = p.automaton.child(state, cps[q]);
        if (state > 0) this.verifyReversed(p, view, state, from, boards, fields, out);
      }
    }
  }

  /** Checks the patterns ending at `state` as a reversed match starting at view position `first`. */
  private verifyReversed(
    p: PatternTable,
    view: MatchView,
    state: number,
    first: number,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    const { kinds, runs } = view;
    const n = view.length;
    const bounded = LEFT_BOUNDARY | RIGHT_BOUNDARY;
    for (let q = p.stateHead[state]; q !== 0; q = p.next[q - 1]) {
      const pattern = q - 1;
      const length = p.length[pattern];
      const last = first + length - 1;
      const kind = kinds[first];
      if (kind !== K_WORD && kind !== K_CJK) continue;
      const flags = p.flags[pattern] & PLACEMENT;
      if (kind === K_WORD && flags !== bounded) continue;
      if (kind === K_CJK && (flags !== 0 || length < MIN_REVERSED_CJK)) {
        if (flags !== 0 || length !== REVERSED_PAIR || (p.flags[pattern] & KEEP_ONE) !== 0)
          continue;
        if (!onlyCjkAt(kinds, n, first, last)) continue;
      }
      if (
        kind === K_WORD &&
        ((first > 0 && isWordKind(kinds[first - 1])) ||
          (last + 1 < n && isWordKind(kinds[last + 1])))
      )
        continue;
      let letters = 0;
      let ok = true;
      for (let k = 0; k < length && ok; k++) {
        const termRun = p.runs[p.runStart[pattern] + k];
        const textRun = runs[last - k];
        letters += termRun;
        ok =
          kinds[last - k] === kind &&
          (textRun === termRun ||
            (kind === K_CJK && textRun > termRun) ||
            (textRun >= 3 && textRun > termRun));
      }
      if (!ok || (kind === K_WORD && letters < MIN_REVERSED_LETTERS)) continue;
      const marks = M_REVERSED | view.marksOf(first, last);
      const start = view.starts[first];
      const end = view.ends[last];
      this.pushRuleHits(p, pattern, start, end, marks, boards, fields, out);
    }
  }

  /**
   * Adds a hit of each rule of `pattern` whose options allow `marks` and whose scope
   * covers the board and field, reporting the expansion that made the pattern for it.
   */
  private pushRuleHits(
    p: PatternTable,
    pattern: number,
    start: number,
    end: number,
    marks: number,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    for (let r = p.ruleStart[pattern]; r < p.ruleStart[pattern + 1]; r++) {
      const rule = p.rules[r];
      if ((marks & ~this.rules[rule].allowedMarks) !== 0) continue;
      if (this.applies(rule, boards, fields)) {
        const expansion = VIA_CODES[p.ruleVia[r]];
        out.push({ rule, start, end, piiKind: undefined, marks, expansion });
      }
    }
  }

  /** Chinese terms with a character masked ("法*功", "傻X"): see cjk-mask.ts. */
  private matchCjkMasked(
    text: string,
    view: MatchView,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    const p = this.patterns;
    if (p === null) return;
    const { cps, kinds, runs } = view;
    const automaton = p.automaton;
    for (const mask of findCjkMasks(view, text)) {
      // The term may start up to three characters before the mask.
      for (let first = mask.before; first >= 0 && mask.before - first < 3; first--) {
        if (kinds[first] !== K_CJK || runs[first] !== 1) break;
        let state = 0;
        for (let q = first; q <= mask.before && state !== -1; q++)
          state = automaton.child(state, cps[q]);
        if (state <= 0) continue;
        const shown = mask.before - first + 1;
        /** Walks `hidden` characters under the mask, of `masked` in all, then those after it. */
        const visit = (hiddenState: number, hidden: number, masked: number): void => {
          if (hidden > 0) {
            automaton.forEachChild(hiddenState, (child) => visit(child, hidden - 1, masked));
            return;
          }
          let s = hiddenState;
          for (let last = mask.after; last < view.length && last - mask.after < 3; last++) {
            if (kinds[last] !== K_CJK || runs[last] !== 1) return;
            s = automaton.child(s, cps[last]);
            if (s < 0) return;
            const visible = shown + last - mask.after + 1;
            this.verifyCjkMasked(
              p,
              view,
              s,
              first,
              last,
              visible + masked,
              visible,
              boards,
              fields,
              out,
            );
          }
        };
        visit(state, mask.hidden, mask.hidden);
        if (mask.filler) visit(state, 0, 0);
      }
    }
    // Two-character terms with the second character masked ("傻X").
    for (const mask of findCjkTrailingMasks(view, text)) {
      const state = automaton.child(0, view.cps[mask.before]);
      if (state <= 0) continue;
      const start = view.starts[mask.before];
      const marks = M_MASKED | view.marksOf(mask.before, mask.before);
      automaton.forEachChild(state, (child) => {
        for (let q = p.stateHead[child]; q !== 0; q = p.next[q - 1]) {
          const pattern = q - 1;
          if ((p.flags[pattern] & PLACEMENT) !== 0 || p.length[pattern] !== 2) continue;
          this.pushRuleHits(p, pattern, start, mask.end, marks, boards, fields, out);
        }
      });
    }
  }

  /** Adds the unbounded (CJK) patterns ending at `state` of `length` characters as masked hits. */
  private verifyCjkMasked(
    p: PatternTable,
    view: MatchView,
    state: number,
    first: number,
    last: number,
    length: number,
    visible: number,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    // A filler read as a separator hides nothing: two visible characters make a term.
    if (visible < MIN_CJK_VISIBLE || (length < MIN_CJK_MASKED_TERM && length > visible)) return;
    const marks = M_MASKED | view.marksOf(first, last);
    const start = view.starts[first];
    const end = view.ends[last];
    for (let q = p.stateHead[state]; q !== 0; q = p.next[q - 1]) {
      const pattern = q - 1;
      if ((p.flags[pattern] & PLACEMENT) !== 0 || p.length[pattern] !== length) continue;
      this.pushRuleHits(p, pattern, start, end, marks, boards, fields, out);
    }
  }

  /**
   * Terms written half in pinyin ("fa轮功") or half in initials ("习jp"): see
   * mixed-pinyin.ts. Initials are read only in stretches with a Latin word without vowels.
   */
  private matchMixedPinyin(view: MatchView, boards: number, fields: number, out: RawHit[]): void {
    const p = this.patterns;
    if (p === null || !p.pinyin) return;
    const stretches = mixedStretches(view);
    for (let s = 0; s < stretches.length; s += 2) {
      const from = stretches[s];
      const to = stretches[s + 1];
      const mixed = sharedMixedView.read(view, from, to, false);
      this.matchMixedView(p, view, mixed, PINYIN_VIA, boards, fields, out);
      if (hasConsonantWord(view, from, to)) {
        const initials = sharedMixedView.read(view, from, to, true);
        this.matchMixedView(p, view, initials, PINYIN_INITIALS_VIA, boards, fields, out);
      }
    }
  }

  /** Adds the hits of the patterns made by expansion `via` in a transliterated stretch. */
  private matchMixedView(
    p: PatternTable,
    view: MatchView,
    mixed: MixedView,
    via: number,
    boards: number,
    fields: number,
    out: RawHit[],
  ): void {
    const bounded = LEFT_BOUNDARY | RIGHT_BOUNDARY;
    const expansion = VIA_CODES[via];
    const count = p.automaton.search(mixed.cps, mixed.length);
    for (let m = 0; m < count; m++) {
      const last = p.automaton.matchEnds[m];
      for (let q = p.stateHead[p.automaton.matchStates[m]]; q !== 0; q = p.next[q - 1]) {
        const pattern = q - 1;
        if ((p.flags[pattern] & PLACEMENT) !== bounded) continue;
        const first = last - p.length[pattern] + 1;
        if (!mixed.isMixedMatch(first, last)) continue;
        const firstPosition = mixed.positions[first];
        const lastPosition = mixed.positions[last];
        const marks = view.marksOf(firstPosition, lastPosition);
        const start = view.starts[firstPosition];
        const end = view.ends[lastPosition];
        for (let r = p.ruleStart[pattern]; r < p.ruleStart[pattern + 1]; r++) {
          if (p.ruleVia[r] !== via) continue;
          const rule = p.rules[r];
          if (marks !== 0 && (marks & ~this.rules[rule].allowedMarks) !== 0) continue;
          if (this.applies(rule, boards, fields))
            out.push({ rule, start, end, piiKind: undefined, marks, expansion });
        }
      }
    }
  }

  /** Whole-word Latin terms read through a mask ("f*ck"): see mask-match.ts. */
  private matchMasked(text: string, view: MatchView, scope: number, out: RawHit[]): void {
    const p = this.patterns;
    if (p === null) return;
    const bounded = LEFT_BOUNDARY | RIGHT_BOUNDARY;
    for (const word of findMaskedWords(view, text)) {
      const start = view.starts[word.first];
      const end = view.ends[word.last];
      const marks = M_MASKED | view.marksOf(word.first, word.last);
      walkMaskedWord(
        view,
        word,
        (state, codePoint) => p.automaton.child(state, codePoint),
        (state, textRuns, flexible) => {
          for (let q = p.stateHead[state]; q !== 0; q = p.next[q - 1]) {
            const pattern = q - 1;
            if ((p.flags[pattern] & PLACEMENT) !== bounded || p.length[pattern] !== textRuns.length)
              continue;
            let letters = 0;
            let ok = true;
            for (let k = 0; k < textRuns.length; k++) {
              const termRun = p.runs[p.runStart[pattern] + k];
              const textRun = textRuns[k];
              letters += termRun;
              if (
                textRun !== termRun &&
                !(textRun >= 3 && textRun > termRun) &&
                !(k === flexible && termRun === textRun + 1)
              )
                ok = false;
            }
            if (!ok || letters < MIN_MASKED_TERM_LETTERS) continue;
            this.pushRuleHits(
              p,
              pattern,
              start,
              end,
              marks,
              scope & SCOPE_BOARDS,
              scope & SCOPE_FIELDS,
              out,
            );
          }
        },
      );
    }
  }

  private matchRegex(light: LightView, ruleIndexes: readonly number[], out: RawHit[]): void {
    const pairs: number[] = [];
    for (const rule of ruleIndexes) {
      const regex = this.rules[rule].regex;
      if (regex === null) continue;
      pairs.length = 0;
      findAll(regex, light.text, pairs);
      for (let k = 0; k < pairs.length; k += 2) {
        const [start, end] = lightToOriginal(light, pairs[k], pairs[k + 1]);
        out.push({ rule, start, end, piiKind: undefined, marks: -1, expansion: undefined });
      }
    }
  }

  private matchPii(light: LightView, ruleIndexes: readonly number[], out: RawHit[]): void {
    const found = new Map<PiiDetector, readonly { start: number; end: number }[]>();
    for (const rule of ruleIndexes) {
      for (const detector of this.rules[rule].piiDetectors) {
        let spans = found.get(detector);
        if (spans === undefined) {
          spans = detector.find(light.text);
          found.set(detector, spans);
        }
        for (const span of spans) {
          if (span.end <= span.start || span.start < 0 || span.end > light.text.length) continue;
          const [start, end] = lightToOriginal(light, span.start, span.end);
          out.push({ rule, start, end, piiKind: detector.kind, marks: -1, expansion: undefined });
        }
      }
    }
  }

  private toHits(text: string, raw: readonly RawHit[], field: TextField | undefined): RuleHit[] {
    return raw.map((hit): RuleHit => {
      const rule = this.rules[hit.rule];
      const result: {
        -readonly [K in keyof RuleHit]: RuleHit[K];
      } = {
        ruleId: rule.id,
        ruleName: rule.name,
        ruleSetId: rule.ruleSetId,
        jurisdiction: rule.jurisdiction,
        action: rule.action,
        matcherKind: rule.matcherKind,
        start: hit.start,
        end: hit.end,
        matchedText: text.slice(hit.start, hit.end),
        legalBasis: rule.legalBasis,
        explanation: rule.explanation,
      };
      if (field !== undefined) result.field = field;
      if (hit.piiKind !== undefined) result.piiKind = hit.piiKind;
      if (hit.marks >= 0) result.via = viaOf(hit.marks);
      if (hit.expansion !== undefined) result.expansion = hit.expansion;
      return result;
    });
  }
}

interface RawHit {
  readonly rule: number;
  readonly start: number;
  readonly end: number;
  readonly piiKind: string | undefined;
  /** Match-view marks of a term hit; -1 for REGEX and PII hits. */
  readonly marks: number;
  /** The expansion of the term that matched, if not the term itself. */
  readonly expansion: TermExpansion | undefined;
}

function viaOf(marks: number): MatchVia {
  if ((marks & M_REVERSED) !== 0) return 'reversed';
  if ((marks & M_MASKED) !== 0) return 'masked';
  if ((marks & M_SPACED) !== 0) return 'spaced';
  if ((marks & M_LINES) !== 0) return 'lines';
  if ((marks & M_DECODED) !== 0) return 'decoded';
  return 'exact';
}

/** The match-view marks a rule accepts: every optional step its matcher does not turn off. */
function allowedMarksOf(matcher: MatcherDefinition): number {
  let marks = 0;
  if (matcher.matchDecoded !== false) marks |= M_DECODED;
  if (matcher.matchSpaced !== false) marks |= M_SPACED;
  if (matcher.matchLines !== false) marks |= M_LINES;
  if (matcher.matchMasks !== false) marks |= M_MASKED;
  if (matcher.matchReversed !== false) marks |= M_REVERSED;
  return marks;
}

function isWordKind(kind: number): boolean {
  return kind === K_WORD || kind === K_DIGIT;
}

/**
 * One hit per rule and span: a hit inside another hit of the same rule (a term inside a
 * longer term, a phone number inside an international number) is dropped. Sorted by
 * position.
 */
function dedupe(raw: RawHit[]): RawHit[] {
  if (raw.length < 2) return raw;
  raw.sort((a, b) => a.rule - b.rule || a.start - b.start || b.end - a.end);
  const kept: RawHit[] = [];
  let rule = -1;
  let coveredUntil = -1;
  for (const hit of raw) {
    if (hit.rule !== rule) {
      rule = hit.rule;
      coveredUntil = -1;
    }
    if (hit.end <= coveredUntil) continue;
    kept.push(hit);
    coveredUntil = hit.end;
  }
  return kept.sort((a, b) => a.start - b.start || b.end - a.end || a.rule - b.rule);
}

// ---------------------------------------------------------------------------------------
// Compilation

const profanityCache = new Map<string, PatternTerm>();

/**
 * A normalised term as the pattern table needs it. Plain arrays rather than typed arrays:
 * compiling makes one per term and expansion (~100,000), and small typed arrays cost far
 * more to allocate and collect.
 */
interface PatternTerm {
  readonly cps: readonly number[];
  readonly runs: readonly number[];
  /** Kinds of the first and last positions, for the boundary flags. */
  readonly firstKind: number;
  readonly lastKind: number;
}

interface TermEntry {
  readonly term: PatternTerm;
  readonly flags: number;
  /** With KEEP_ONE: the term's two code points before folding. */
  readonly kept?: readonly number[];
}

/**
 * A guess of the automaton's size from the terms' lengths: expansions (pinyin above all)
 * add about three states per character of a term, the built-in profanity list a few
 * thousand.
 */
function expectedStates(ruleSets: readonly RuleSetDefinition[]): number {
  let characters = 0;
  for (const ruleSet of ruleSets) {
    for (const rule of ruleSet.rules) {
      for (const term of rule.matcher.terms ?? []) characters += term.length;
    }
  }
  return 4 * characters + 4096;
}

export function compile(
  ruleSets: readonly RuleSetDefinition[],
  options: CompileOptions = {},
): CompiledRules {
  const detectors = new Map<string, PiiDetector>();
  for (const detector of [...BUILTIN_PII_DETECTORS, ...(options.piiDetectors ?? [])]) {
    detectors.set(detector.kind.toUpperCase(), detector);
  }
  const termView = new MatchView(256);
  const expected = expectedStates(ruleSets);
  const builder = new AhoCorasickBuilder(expected);
  /** Lists sized from the guess: regrowing them was a tenth of a cold compile. */
  const perPattern = Math.max(1024, expected >> 2);
  const pinyinContext = readingsInContext(pinyinTermsOf(ruleSets));
  /**
   * Patterns by trie state (equal code points end at the same state), as a chain: first
   * pattern index + 1 per state, next index + 1 per pattern. Equal code points, runs and
   * flags share a pattern.
   */
  const patternsAtState = new IntList(expected);
  const nextAtState = new IntList(perPattern);
  /**
   * Each pattern's code points and runs, one after the other in flat lists (no arrays per
   * pattern: compiling adds about 100,000 terms and expansions), from `patternStart`;
   * `kept` only for KEEP_ONE patterns.
   */
  const patternCps = new IntList(expected);
  const patternRuns = new IntList(expected);
  const patternStart = new IntList(perPattern);
  const patternLength = new IntList(perPattern);
  const patternFlags = new IntList(perPattern);
  const patternKept = new Map<number, readonly number[]>();
  const patternStates = new IntList(perPattern);
  /**
   * The rules of each pattern, as a chain of entries (rule, expansion code): first and last
   * entry index + 1 per pattern, next entry index + 1 per entry.
   */
  const patternFirstRule = new IntList(perPattern);
  const patternLastRule = new IntList(perPattern);
  const entryRule = new IntList(perPattern);
  const entryVia = new IntList(perPattern);
  const entryNext = new IntList(perPattern);
  let homophones = false;
  let pinyin = false;
  const rules: CompiledRule[] = [];
  const regexRules: number[] = [];
  const piiRules: number[] = [];
  const seenIds = new Set<string>();
  let termCount = 0;

  /** Adds the `length` code points and runs as a pattern of the rule (or to an equal one). */
  const addPattern = (
    cps: ArrayLike<number>,
    runs: ArrayLike<number>,
    length: number,
    flags: number,
    kept: readonly number[] | undefined,
    ruleIndex: number,
    via: number,
  ): void => {
    const state = builder.add(cps, length);
    patternsAtState.extendTo(state + 1);
    let index = -1;
    for (let q = patternsAtState.data[state]; q !== 0; q = nextAtState.data[q - 1]) {
      const other = q - 1;
      if (
        patternFlags.data[other] === flags &&
        sameRuns(patternRuns.data, patternStart.data[other], runs, length) &&
        (kept === undefined || sameRuns(patternKept.get(other) ?? [], 0, kept, kept.length))
      ) {
        index = other;
        break;
      }
    }
    if (index < 0) {
      index = patternStart.length;
      nextAtState.push(patternsAtState.data[state]);
      patternsAtState.data[state] = index + 1;
      patternStart.push(patternCps.length);
      patternLength.push(length);
      patternFlags.push(flags);
      for (let k = 0; k < length; k++) {
        patternCps.push(cps[k]);
        patternRuns.push(runs[k]);
      }
      if (kept !== undefined) patternKept.set(index, kept);
      patternStates.push(state);
      patternFirstRule.push(0);
      patternLastRule.push(0);
    }
    const last = patternLastRule.data[index];
    if (last === 0 || entryRule.data[last - 1] !== ruleIndex) {
      const added = entryRule.push(ruleIndex) + 1;
      entryVia.push(via);
      entryNext.push(0);
      if (last === 0) patternFirstRule.data[index] = added;
      else entryNext.data[last - 1] = added;
      patternLastRule.data[index] = added;
    } else if (via < entryVia.data[last - 1]) {
      entryVia.data[last - 1] = via;
    }
    if (via === 0) termCount++;
  };

  const addTerm = (entry: TermEntry, ruleIndex: number, via = 0): void => {
    const { cps, runs } = entry.term;
    addPattern(cps, runs, cps.length, entry.flags, entry.kept, ruleIndex, via);
  };

  /** A rule's term with the expansions its options ask for. */
  const addExpandedTerm = (
    raw: string,
    entry: TermEntry,
    ruleIndex: number,
    expansion: ExpansionOptions,
  ): void => {
    const inflect = expansion.inflections && isInflectable(raw);
    const affixFlags = inflect ? AFFIXES | (looksGerman(raw) ? AFFIXES_GERMAN : 0) : 0;
    addTerm({ term: entry.term, flags: entry.flags | affixFlags }, ruleIndex);
    for (const extra of expandTerm(raw, expansion, pinyinContext)) {
      // Read straight from the normalised view: no arrays per expansion.
      const text = extra.text.trim();
      if (text.length > MAX_TERM_LENGTH) continue;
      const n = termView.normalize(text).length;
      if (n === 0) continue;
      const stemFlags = extra.via === 'inflection' ? affixFlags : 0;
      const flags =
        boundaryFlagsOf(termView.kinds[0], termView.kinds[n - 1], text, false) |
        stemFlags |
        (extra.needsTail ? NEEDS_TAIL : 0);
      addPattern(termView.cps, termView.runs, n, flags, undefined, ruleIndex, viaCode(extra.via));
      if (extra.via === 'pinyin') pinyin = true;
    }
    const length = entry.term.cps.length;
    const pair = length === 2 && length < expansion.homophonesFrom && expansion.homophonePairs;
    const folded =
      isHanTerm(raw) && (length >= expansion.homophonesFrom || pair)
        ? foldTermHomophones(entry.term.cps)
        : null;
    if (folded !== null) {
      const term = { ...entry.term, cps: folded };
      const kept = pair ? entry.term.cps : undefined;
      addTerm(
        { term, flags: entry.flags | (pair ? KEEP_ONE : 0), kept },
        ruleIndex,
        viaCode('homophone'),
      );
      homophones = true;
    }
  };

  for (const ruleSet of ruleSets) {
    const jurisdiction = normalizeJurisdiction(String(ruleSet.jurisdiction ?? ''));
    if (jurisdiction === '') {
      throw new RuleCompileError(
        'INVALID_RULE',
        undefined,
        ruleSet.id,
        `Rule set ${ruleSet.id}: the jurisdiction is empty`,
      );
    }
    for (const rule of ruleSet.rules) {
      if (rule.enabled === false) continue;
      const fail = (code: ConstructorParameters<typeof RuleCompileError>[0], detail: string) =>
        new RuleCompileError(code, rule.id, ruleSet.id, detail, rule.name);
      if (seenIds.has(rule.id)) throw fail('DUPLICATE_RULE_ID', 'another rule has the same id');
      seenIds.add(rule.id);
      if (!RULE_ACTIONS.includes(rule.action)) {
        throw fail('INVALID_RULE', `unknown action ${String(rule.action)}`);
      }
      const kind = rule.matcher?.kind;
      if (!MATCHER_KINDS.includes(kind)) {
        throw fail('INVALID_RULE', `unknown matcher kind ${String(kind)}`);
      }
      const ruleIndex = rules.length;
      let regex: CompiledRegex | null = null;
      let piiDetectors: PiiDetector[] = [];
      switch (kind) {
        case 'KEYWORDS': {
          const terms = (rule.matcher.terms ?? []).filter((t) => t.trim() !== '');
          if (terms.length === 0)
            throw fail('EMPTY_TERMS', 'a KEYWORDS rule needs at least one term');
          const expansion = expansionOptionsOf(rule.matcher);
          for (const raw of terms) {
            const entry = prepareTerm(raw, termView);
            if (typeof entry === 'string') throw fail('INVALID_TERM', entry);
            addExpandedTerm(raw, entry, ruleIndex, expansion);
          }
          break;
        }
        case 'PROFANITY': {
          const excluded = new Set(
            (rule.matcher.exclude ?? []).map((word) => word.trim().toLowerCase()),
          );
          const expansion = expansionOptionsOf(rule.matcher);
          for (const word of options.profanityWords ?? badWordsList()) {
            if (excluded.has(word.trim().toLowerCase())) continue;
            const entry = profanityTerm(word, termView, options.profanityWords !== undefined);
            if (entry !== null) addExpandedTerm(word, entry, ruleIndex, expansion);
          }
          for (const raw of rule.matcher.terms ?? []) {
            if (raw.trim() === '') continue;
            const entry = prepareTerm(raw, termView);
            if (typeof entry === 'string') throw fail('INVALID_TERM', entry);
            addExpandedTerm(raw, entry, ruleIndex, expansion);
          }
          break;
        }
        case 'REGEX': {
          const pattern = rule.matcher.pattern ?? '';
          const compiled = compileRegex(pattern);
          if (isRegexProblem(compiled)) throw fail(compiled.code, compiled.message);
          regex = compiled;
          regexRules.push(ruleIndex);
          break;
        }
        case 'PII': {
          const requested = (rule.matcher.piiKinds ?? []).map((k) => k.trim().toUpperCase());
          const kinds =
            requested.length === 0
              ? BUILTIN_PII_DETECTORS.map((d) => d.kind)
              : requested.flatMap((k) => PII_ALIASES[k] ?? [k]);
          const known = [...Object.keys(PII_ALIASES), ...detectors.keys()];
          piiDetectors = [...new Set(kinds)].map((k) => {
            const detector = detectors.get(k);
            if (detector === undefined) {
              throw fail(
                'UNKNOWN_PII_KIND',
                `unknown PII kind ${k}; known kinds are ${known.join(', ')}`,
              );
            }
            return detector;
          });
          piiRules.push(ruleIndex);
          break;
        }
      }
      rules.push({
        id: rule.id,
        name: rule.name,
        ruleSetId: ruleSet.id,
        jurisdiction,
        action: rule.action,
        matcherKind: kind,
        legalBasis: rule.legalBasis,
        explanation: rule.explanation,
        scope: scopeOf(rule, fail),
        regex,
        piiDetectors,
        allowedMarks: allowedMarksOf(rule.matcher),
        checkWords: rule.matcher.checkWords !== false,
      });
    }
  }

  const patterns = patternStart.length === 0 ? null : buildPatternTable();
  return new CompiledRules(rules, patterns, regexRules, piiRules, {
    ruleSets: ruleSets.length,
    rules: rules.length,
    terms: termCount,
    patterns: patternStart.length,
    automatonStates: patterns?.automaton.stateCount ?? 0,
    regexRules: regexRules.length,
    piiRules: piiRules.length,
  });

  function buildPatternTable(): PatternTable {
    const automaton = builder.build();
    const count = patternStart.length;
    const stateHead = new Int32Array(automaton.stateCount);
    const next = new Int32Array(count);
    const length = new Int32Array(count);
    const flags = new Uint8Array(count);
    const runStart = new Int32Array(count);
    const ruleStart = new Int32Array(count + 1);
    const ruleTotal = entryRule.length;
    const runs = patternRuns.data.slice(0, patternRuns.length);
    const ruleList = new Int32Array(ruleTotal);
    const ruleVia = new Uint8Array(ruleTotal);
    const reversedWords = new Int32Array(1 << (REVERSED_WORD_BITS - 5));
    const kept = patternKept;
    const cps = patternCps.data;
    let ruleAt = 0;
    for (let i = 0; i < count; i++) {
      const termFlags = patternFlags.data[i];
      const termLength = patternLength.data[i];
      const at = patternStart.data[i];
      const state = automaton.stateOf(patternStates.data[i]);
      next[i] = stateHead[state];
      stateHead[state] = i + 1;
      length[i] = termLength;
      flags[i] = termFlags;
      if ((termFlags & PLACEMENT) === (LEFT_BOUNDARY | RIGHT_BOUNDARY)) {
        const end = at + termLength - 1;
        const key = reversedWordKey(cps[at], cps[at + 1], cps[end - 1], cps[end], termLength);
        reversedWords[key >>> 5] |= 1 << (key & 31);
      }
      runStart[i] = at;
      ruleStart[i] = ruleAt;
      for (let e = patternFirstRule.data[i]; e !== 0; e = entryNext.data[e - 1]) {
        ruleList[ruleAt] = entryRule.data[e - 1];
        ruleVia[ruleAt++] = entryVia.data[e - 1];
      }
    }
    ruleStart[count] = ruleAt;
    return {
      automaton,
      stateHead,
      next,
      length,
      flags,
      runStart,
      runs,
      ruleStart,
      rules: ruleList,
      ruleVia,
      homophones,
      pinyin,
      reversedWords,
      kept,
    };
  }
}

function scopeOf(
  rule: RuleDefinition,
  fail: (code: 'INVALID_RULE', detail: string) => RuleCompileError,
): number {
  let scope = 0;
  const boardKinds = rule.boardKinds ?? [];
  for (const boardKind of boardKinds) {
    if (!BOARD_KINDS.includes(boardKind))
      throw fail('INVALID_RULE', `unknown board kind ${String(boardKind)}`);
    scope |= boardKind === 'COMPANY' ? SCOPE_COMPANY : SCOPE_PUBLIC;
  }
  if (boardKinds.length === 0) scope |= SCOPE_BOARDS;
  const fields = rule.fields ?? [];
  for (const field of fields) {
    if (!TEXT_FIELDS.includes(field)) throw fail('INVALID_RULE', `unknown field ${String(field)}`);
    scope |= field === 'title' ? SCOPE_TITLE : SCOPE_BODY;
  }
  if (fields.length === 0) scope |= SCOPE_FIELDS;
  return scope;
}

/**
 * A term's normalised form and boundary flags, or the reason it cannot be used. A leading or
 * trailing `*` (user terms only) removes the word boundary on that side.
 */
/** The terms of enabled KEYWORDS and PROFANITY rules that match pinyin (their own terms). */
function* pinyinTermsOf(ruleSets: readonly RuleSetDefinition[]): Generator<string> {
  for (const ruleSet of ruleSets) {
    for (const rule of ruleSet.rules) {
      if (rule.enabled === false || rule.matcher?.matchPinyin === false) continue;
      const kind = rule.matcher?.kind;
      if (kind === 'KEYWORDS' || kind === 'PROFANITY') yield* rule.matcher.terms ?? [];
    }
  }
}

function prepareTerm(raw: string, view: MatchView, wildcards = true): TermEntry | string {
  const trimmed = raw.trim();
  if (trimmed.length > MAX_TERM_LENGTH) {
    return `the term "${trimmed.slice(0, 40)}…" is longer than ${MAX_TERM_LENGTH} characters`;
  }
  const term = patternTermOf(trimmed, view);
  if (term.cps.length === 0) {
    return `the term "${trimmed}" has no letters, digits or CJK characters left after normalisation (punctuation, symbols and emoji are ignored; use a REGEX rule)`;
  }
  return { term, flags: boundaryFlags(trimmed, term, wildcards) };
}

function patternTermOf(text: string, view: MatchView): PatternTerm {
  view.normalize(text);
  const n = view.length;
  const cps: number[] = [];
  const runs: number[] = [];
  for (let k = 0; k < n; k++) {
    cps.push(view.cps[k]);
    runs.push(view.runs[k]);
  }
  return {
    cps,
    runs,
    firstKind: view.kinds[0],
    lastKind: view.kinds[n - 1],
  };
}

/**
 * Whether exactly one of the two characters at `first` is the term's own (`kept`): both as
 * written is the term's own pattern's hit, neither is a pair of homophones (off by default).
 */
function keepsOne(view: MatchView, first: number, kept: readonly number[] | undefined): boolean {
  if (kept === undefined) return false;
  return (view.cps[first] === kept[0]) !== (view.cps[first + 1] === kept[1]);
}

/** Whether `length` entries of `a` from `from` equal the first ones of `b`. */
function sameRuns(
  a: ArrayLike<number>,
  from: number,
  b: ArrayLike<number>,
  length: number,
): boolean {
  for (let k = 0; k < length; k++) if (a[from + k] !== b[k]) return false;
  return true;
}

function boundaryFlags(trimmed: string, term: PatternTerm, wildcards: boolean): number {
  return boundaryFlagsOf(term.firstKind, term.lastKind, trimmed, wildcards);
}

function boundaryFlagsOf(
  firstKind: number,
  lastKind: number,
  trimmed: string,
  wildcards: boolean,
): number {
  const leftWord = isWordKind(firstKind);
  const rightWord = isWordKind(lastKind);
  const leftWildcard = wildcards && trimmed.startsWith('*');
  const rightWildcard = wildcards && trimmed.endsWith('*');
  let flags = 0;
  if (leftWord) flags |= leftWildcard ? LEFT_WILDCARD : LEFT_BOUNDARY;
  if (rightWord) flags |= rightWildcard ? RIGHT_WILDCARD : RIGHT_BOUNDARY;
  return flags;
}

/**
 * A word of the bad-words list, taken literally (its `*` are not wildcards: bad-words never
 * treated them so, and `*shit*` would match "Matsushita"). Words ending in `!`, `+` or `|`
 * (`sh!+`) are skipped: in text those characters end a word as punctuation, so they could
 * only match a shorter, innocent word.
 */
function profanityTerm(word: string, view: MatchView, custom: boolean): TermEntry | null {
  const trimmed = word.trim();
  if (/[!+|]$/.test(trimmed)) return null;
  const cached = custom ? undefined : profanityCache.get(trimmed);
  if (cached !== undefined) return { term: cached, flags: boundaryFlags(trimmed, cached, false) };
  const entry = prepareTerm(trimmed, view, false);
  if (typeof entry === 'string') return null;
  if (!custom) profanityCache.set(trimmed, entry.term);
  return entry;
}

// ---------------------------------------------------------------------------------------
// Public functions

/** Evaluates one text (a title or a body) against compiled rules. */
export function evaluate(
  compiled: CompiledRules,
  text: string,
  context: EvaluationContext,
): Evaluation {
  return compiled.evaluate(text, context);
}

/** Evaluates a post's title and body; the outcome covers both (redactions carry their field). */
export function evaluatePost(
  compiled: CompiledRules,
  post: { readonly title?: string | null; readonly body: string },
  context: Omit<EvaluationContext, 'field'>,
): PostEvaluation {
  const title = compiled.evaluate(post.title ?? '', { ...context, field: 'title' });
  const body = compiled.evaluate(post.body, { ...context, field: 'body' });
  const outcome = decideOutcome([...title.hits, ...body.hits], context.governingJurisdictions);
  return {
    title,
    body,
    outcome,
    redactedTitle: redact(post.title ?? '', title.outcome.redactions),
    redactedBody: redact(post.body, body.outcome.redactions),
  };
}

/**
 * Runs one rule set (a draft or the active version) on sample text, its own jurisdiction
 * governing — what `testRules` shows a compliance officer. Throws RuleCompileError for a
 * rule that cannot be compiled.
 */
export function testRuleSet(
  ruleSet: RuleSetDefinition,
  text: string,
  context: { readonly boardKind?: BoardKind; readonly field?: TextField } = {},
  options?: CompileOptions,
): RuleTestReport {
  const compiled = compile([ruleSet], options);
  const { hits, outcome } = compiled.evaluate(text, {
    ...context,
    governingJurisdictions: [ruleSet.jurisdiction],
  });
  return { hits, outcome, redactedText: redact(text, outcome.redactions) };
}
