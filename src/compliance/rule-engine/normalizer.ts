import {
  C_CJK,
  C_DIGIT,
  C_DROP,
  C_LETTER,
  C_MARK,
  C_MULTI,
  C_NEWLINE,
  C_SPACE,
  C_SYM_STRONG,
  C_SYM_WEAK,
  LEET,
  LIGHT_CLASS_TABLE,
  L_DROP,
  L_SAME,
  L_UNKNOWN,
  MATCH_CLASS_TABLE,
  MATCH_FOLD_TABLE,
  lightClassOf,
  lightMappedOf,
  matchClassOf,
  multiEntry,
} from './char-fold';
import { decodeForMatching, type DecodedText } from './decode';
import { grownCopy } from './int-list';

/** Kinds of positions in the match view. */
const K_SPACE = 0;
/** A letter of a spaced script (after leetspeak folding): Latin word boundaries apply. */
const K_WORD = 1;
/** An ASCII digit that stayed a digit (a number, not leetspeak). Counts as a word character. */
const K_DIGIT = 2;
/** A character of a script matched as substrings (Han, kana, Hangul, Thai…). */
const K_CJK = 3;

/**
 * Marks of positions, telling which optional step of the match view a match relies on. A
 * content mark (`M_DECODED`) applies to the position itself; a gap mark (`M_SPACED`,
 * `M_LINES`) says that the separator between the position and the one before it was
 * removed, so it counts only when the position before is part of the match too.
 */
/** Comes from an HTML character reference or percent-encoding. */
const M_DECODED = 1;
/** Joined to the letter before it across one separator ("s c a b", "f.u.c.k"). */
const M_SPACED = 2;
/** Joined to the CJK character before it across a line break or clause punctuation. */
const M_LINES = 4;
/** Read through a mask ("f*ck"); set on hits by the masked-word pass, never on positions. */
const M_MASKED = 8;
/** Found written backwards ("kcuf", "平近习"); set on hits by the reversed pass. */
const M_REVERSED = 16;
/** Exported as a list: the module's own code then reads local constants, not exports. */
export { K_SPACE, K_WORD, K_DIGIT, K_CJK, M_DECODED, M_SPACED, M_LINES, M_MASKED, M_REVERSED };
const CONTENT_MARKS = M_DECODED;

/**
 * Clause punctuation: between CJK characters it is a real break ("学习。近平说"), removed only
 * between single characters written apart ("习，近，平"). Other separators are removed.
 */
const CLAUSE_PUNCTUATION = new Set(
  [...',;:!?…，。、；：！？．｡､﹐﹑﹒﹔﹕﹖﹗'].map((ch) => ch.charCodeAt(0)),
);
/** Longest gap (UTF-16 units) bridged between single CJK characters ("六\r\n四", "习 ， 近"). */
const MAX_BRIDGED_GAP = 4;
/** Fewest single letters in a run that is joined into a word ("s c a b"). */
const MIN_SPACED_LETTERS = 3;

const SPACE_CP = 0x20;

/**
 * The UTF-16 units of the text being scanned, copied in one native call: reading a typed
 * array in the scan loop costs less than `charCodeAt` on strings of either width.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let unitBytes = Buffer.alloc(8192);
let units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1);

/** `text`'s UTF-16 units in a shared buffer (valid until the next call). */
function unitsOf(text: string): Uint16Array {
  if (units.length < text.length) {
    unitBytes = Buffer.alloc(4 * text.length);
    units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, unitBytes.length >> 1);
  }
  if (LITTLE_ENDIAN) unitBytes.write(text, 0, 'utf16le');
  else for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}
const MODE_FOLD = 0;
const MODE_KEEP_DIGITS = 1;
const MODE_SYMBOLS = 2;
const MODE_SEPARATOR = 3;

/**
 * The match view of a text: the evasion-folded code points used by the keyword automaton,
 * with an exact map back to the original UTF-16 offsets.
 *
 * Position `i` stands for a run of `runs[i]` equal folded characters (collapsed repeats)
 * taken from the original text `[starts[i], ends[i])`; `startsLast[i]` is where the last
 * member of the run starts and `endsFirst[i]` where the first member ends (both written
 * only for runs of two or more: for a run of one they are `starts[i]` and `ends[i]`, and
 * the arrays hold stale values), so that a match
 * that begins inside a run of CJK characters maps onto the characters it really covers.
 *
 * Buffers are reused between calls: a view is valid until the next `normalize` call on the
 * same instance. Evaluation is synchronous, so one shared instance is safe.
 */
export class MatchView {
  length = 0;
  cps = new Int32Array(0);
  kinds = new Uint8Array(0);
  runs = new Int32Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  startsLast = new Int32Array(0);
  endsFirst = new Int32Array(0);
  /** `M_*` marks per position; meaningful only when `hasMarks`. */
  marks = new Uint8Array(0);
  hasMarks = false;
  /** Some position is a CJK character: passes that read only CJK runs can skip the view. */
  hasCjk = false;
  /**
   * Words of two positions or more, as `[first, end)` pairs in `words[0..wordCount)`, found
   * while spaced letters are looked for; -1 when positions were removed afterwards and the
   * list no longer holds (passes then read the kinds themselves).
   */
  words = new Int32Array(256);
  wordCount = -1;
  /** Raw character class of positions of the word being read (before leetspeak folding). */
  private raw = new Uint8Array(0);

  /** First position of the word being read, or -1. */
  private tokenStart = -1;
  /** The word being read has only letters so far: its positions are already final. */
  private tokenPlain = false;
  private pendingStart = -1;
  private pendingEnd = -1;
  private pendingNewline = false;
  /** The text being scanned (the decoded text when something was decoded). */
  private text = '';
  /** A separator with a line break or clause punctuation was kept between CJK characters. */
  private cjkBreaks = false;
  /** Per position: removed by `dropPositions`. */
  private drop = new Uint8Array(0);

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  /**
   * Builds the view of `text`: decoding, the one-pass folding below, then joining of single
   * CJK characters written apart and of spaced-out letters, each position marked with the
   * optional steps it relies on.
   */
  normalize(text: string): this {
    const decoded = decodeForMatching(text);
    this.hasMarks = false;
    this.scan(decoded === null ? text : decoded.text);
    if (this.cjkBreaks) this.bridgeSingleCjk();
    this.joinSpacedLetters();
    if (decoded !== null) this.mapDecoded(decoded);
    this.text = '';
    return this;
  }

  private scan(text: string): void {
    const n = text.length;
    this.text = text;
    this.cjkBreaks = false;
    this.hasCjk = false;
    this.length = 0;
    this.tokenStart = -1;
    this.tokenPlain = false;
    this.pendingStart = -1;
    this.pendingNewline = false;
    if (this.cps.length < 2 * n + 8) this.grow(2 * n + 8);
    const classTable = MATCH_CLASS_TABLE;
    const foldTable = MATCH_FOLD_TABLE;
    const unit = unitsOf(text);
    // Imported constants as locals: the compiled module reads them as properties otherwise.
    const letter = C_LETTER;
    const space = C_SPACE;
    const cjk = C_CJK;
    const multi = C_MULTI;
    const word = K_WORD;
    const cjkKind = K_CJK;
    let cps = this.cps;
    let kinds = this.kinds;
    let runs = this.runs;
    let starts = this.starts;
    let ends = this.ends;
    let startsLast = this.startsLast;
    let endsFirst = this.endsFirst;
    let i = 0;
    while (i < n) {
      let cp = unit[i];
      let next = i + 1;
      if (cp >= 0xd800 && cp <= 0xdbff && next < n) {
        const low = unit[next];
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          next++;
        }
      }
      if (cp < 0x10000) {
        let cls = classTable[cp];
        if (cls === 0) cls = matchClassOf(cp);
        if (cls === letter) {
          if (!this.tokenPlain) {
            if (this.tokenStart >= 0) {
              // A letter after a digit or symbol: the word is rewritten when it ends.
              this.push(foldTable[cp], cls, i, next);
              i = next;
              continue;
            }
            // A letter starting a word.
            if (this.pendingStart >= 0) this.emitPending(false);
            this.tokenStart = this.length;
            this.tokenPlain = true;
          }
          // Fast path: letters of a word of letters, read with local state only (most text).
          const tokenStart = this.tokenStart;
          let length = this.length;
          for (;;) {
            const f = foldTable[cp];
            const last = length - 1;
            if (last >= tokenStart && cps[last] === f) {
              if (runs[last] === 1) endsFirst[last] = ends[last];
              runs[last]++;
              ends[last] = next;
              startsLast[last] = i;
            } else {
              cps[length] = f;
              kinds[length] = word;
              runs[length] = 1;
              starts[length] = i;
              ends[length] = next;
              length++;
            }
            i = next;
            if (i >= n) break;
            cp = unit[i];
            // Anything but another BMP letter goes back to the general loop.
            if ((cp >= 0xd800 && cp <= 0xdfff) || classTable[cp] !== letter) break;
            next = i + 1;
          }
          this.length = length;
          continue;
        }
        if (cls === space) {
          // Fast path: a separator.
          if (this.tokenStart >= 0) {
            if (this.tokenPlain) {
              this.tokenStart = -1;
              this.tokenPlain = false;
            } else {
              this.flushToken(false);
            }
          }
          if (this.pendingStart < 0) {
            this.pendingStart = i;
            this.pendingNewline = false;
          }
          this.pendingEnd = next;
          i = next;
          continue;
        }
        if (cls === cjk) {
          // Fast path: a CJK character.
          if (this.tokenStart >= 0) {
            if (this.tokenPlain) {
              this.tokenStart = -1;
              this.tokenPlain = false;
            } else {
              this.flushToken(true);
            }
          }
          if (this.pendingStart >= 0) this.emitPending(true);
          this.hasCjk = true;
          const f = foldTable[cp];
          const last = this.length - 1;
          if (last >= 0 && cps[last] === f && kinds[last] === cjkKind) {
            if (runs[last] === 1) endsFirst[last] = ends[last];
            runs[last]++;
            ends[last] = next;
            startsLast[last] = i;
          } else {
            const at = this.length++;
            cps[at] = f;
            kinds[at] = cjkKind;
            runs[at] = 1;
            starts[at] = i;
            ends[at] = next;
          }
          i = next;
          continue;
        }
        if (cls !== multi) {
          this.push(foldTable[cp], cls, i, next);
          i = next;
          continue;
        }
      }
      const entry = multiEntry(cp);
      const count = entry.codePoints.length;
      if (count === 0) {
        this.push(0, entry.classes[0], i, next);
      } else {
        const needed = this.length + 2 * count + 2 * (n - i) + 8;
        if (this.cps.length < needed) {
          this.grow(needed);
          cps = this.cps;
          kinds = this.kinds;
          runs = this.runs;
          starts = this.starts;
          ends = this.ends;
          startsLast = this.startsLast;
          endsFirst = this.endsFirst;
        }
        for (let k = 0; k < count; k++) this.push(entry.codePoints[k], entry.classes[k], i, next);
      }
      i = next;
    }
    if (this.tokenStart >= 0) this.flushToken(false);
    this.pendingStart = -1;
  }

  /** The marks a match of positions `first..last` relies on (0 for the plain view). */
  marksOf(first: number, last: number): number {
    if (!this.hasMarks) return 0;
    let marks = this.marks[first] & CONTENT_MARKS;
    for (let k = first + 1; k <= last; k++) marks |= this.marks[k];
    return marks;
  }

  private startMarks(): void {
    if (this.hasMarks) return;
    if (this.marks.length < this.cps.length) this.marks = new Uint8Array(this.cps.length);
    this.marks.fill(0, 0, this.length);
    this.hasMarks = true;
  }

  /**
   * One character per line ("六\n四"), or single characters between clause punctuation
   * ("习，近，平"): a kept break between two CJK characters is removed when it is short and
   * one of the two stands alone (no CJK neighbour on its other side), so "学习。近平" keeps
   * its break.
   */
  private bridgeSingleCjk(): void {
    const { kinds, runs, starts, ends } = this;
    const last = this.length - 1;
    let any = false;
    for (let p = 1; p < last; p++) {
      if (
        kinds[p] === K_SPACE &&
        kinds[p - 1] === K_CJK &&
        kinds[p + 1] === K_CJK &&
        runs[p - 1] === 1 &&
        runs[p + 1] === 1 &&
        ends[p] - starts[p] <= MAX_BRIDGED_GAP &&
        (p < 2 || kinds[p - 2] !== K_CJK || p + 2 > last || kinds[p + 2] !== K_CJK)
      ) {
        if (!any) this.drop.fill(0, 0, this.length);
        this.drop[p] = 1;
        any = true;
      }
    }
    if (any) this.dropPositions(M_LINES);
  }

  /**
   * Spaced-out letters ("s c a b", "s.c.a.b", "f-u-c-k", one per line): a run of at least
   * three one-letter words, each separated from the next by the same single separator
   * character, is joined into one word. Ordinary text ("a b", "I a", "x, y and z") is left
   * as it is.
   */
  private joinSpacedLetters(): void {
    const kinds = this.kinds;
    const length = this.length;
    let any = false;
    let words = 0;
    if (this.words.length < length + 2) this.words = new Int32Array(2 * length + 2);
    let p = 0;
    while (p < length) {
      if (kinds[p] === K_WORD && p + 1 < length && kinds[p + 1] === K_WORD) {
        // A word of two positions or more: skip to its end, noting it for later passes.
        this.words[words++] = p;
        p += 2;
        while (p < length && kinds[p] === K_WORD) p++;
        this.words[words++] = p;
        continue;
      }
      if (!this.isSingleLetter(p)) {
        p++;
        continue;
      }
      const separator = p + 1 < length ? this.gapCharacter(p + 1) : -1;
      let q = p;
      while (
        separator >= 0 &&
        q + 2 < length &&
        kinds[q + 1] === K_SPACE &&
        this.gapCharacter(q + 1) === separator &&
        this.isSingleLetter(q + 2)
      ) {
        q += 2;
      }
      if ((q - p) / 2 + 1 >= MIN_SPACED_LETTERS) {
        if (!any) this.drop.fill(0, 0, length);
        any = true;
        for (let g = p + 1; g < q; g += 2) this.drop[g] = 1;
      }
      p = q + 1;
    }
    this.wordCount = words >> 1;
    if (any) {
      this.dropPositions(M_SPACED);
      this.wordCount = -1;
    }
  }

  /**
   * A one-letter word: a letter position with no letter or digit on either side, written as
   * one character (`ß` is one character folded to `ss`).
   */
  private isSingleLetter(p: number): boolean {
    const kinds = this.kinds;
    return (
      kinds[p] === K_WORD &&
      (this.runs[p] === 1 || this.ends[p] - this.starts[p] === 1) &&
      (p === 0 || kinds[p - 1] === K_SPACE || kinds[p - 1] === K_CJK) &&
      (p + 1 === this.length || kinds[p + 1] === K_SPACE || kinds[p + 1] === K_CJK)
    );
  }

  /** The separator of a one-character gap (`\r\n` counts as one), or -1. */
  private gapCharacter(p: number): number {
    const start = this.starts[p];
    const width = this.ends[p] - start;
    if (width === 1) return this.text.charCodeAt(start);
    if (width === 2 && this.text.startsWith('\r\n', start)) return 0x0a;
    return -1;
  }

  /**
   * Removes the positions flagged in `drop`, marking the position after each with `mark`;
   * equal letters or CJK characters that become neighbours merge into one run.
   */
  private dropPositions(mark: number): void {
    this.startMarks();
    const { cps, kinds, runs, starts, ends, startsLast, endsFirst, marks, drop } = this;
    let w = 0;
    let pendingMark = 0;
    for (let r = 0; r < this.length; r++) {
      if (drop[r] === 1) {
        pendingMark = mark;
        continue;
      }
      const prev = w - 1;
      if (
        pendingMark !== 0 &&
        prev >= 0 &&
        cps[prev] === cps[r] &&
        kinds[prev] === kinds[r] &&
        (kinds[r] === K_WORD || kinds[r] === K_CJK)
      ) {
        if (runs[prev] === 1) endsFirst[prev] = ends[prev];
        startsLast[prev] = runs[r] > 1 ? startsLast[r] : starts[r];
        runs[prev] += runs[r];
        ends[prev] = ends[r];
        marks[prev] |= pendingMark | marks[r];
        pendingMark = 0;
        continue;
      }
      cps[w] = cps[r];
      kinds[w] = kinds[r];
      runs[w] = runs[r];
      starts[w] = starts[r];
      ends[w] = ends[r];
      startsLast[w] = startsLast[r];
      endsFirst[w] = endsFirst[r];
      marks[w] = marks[r] | pendingMark;
      pendingMark = 0;
      w++;
    }
    this.length = w;
  }

  /** Maps spans of the decoded text back to the original and marks decoded positions. */
  private mapDecoded(decoded: DecodedText): void {
    const { origStarts, origEnds } = decoded;
    let marked = false;
    for (let p = 0; p < this.length; p++) {
      const start = this.starts[p];
      const end = this.ends[p];
      let fromReference = false;
      for (let u = start; u < end; u++) if (decoded.decoded[u] === 1) fromReference = true;
      if (fromReference) {
        if (!marked) this.startMarks();
        marked = true;
        this.marks[p] |= M_DECODED;
      }
      this.starts[p] = origStarts[start];
      this.ends[p] = origEnds[end - 1];
      if (this.runs[p] > 1) {
        this.startsLast[p] = origStarts[this.startsLast[p]];
        this.endsFirst[p] = origEnds[this.endsFirst[p] - 1];
      }
    }
  }

  /** The folded text (collapsed runs written once), for tests and debugging. */
  foldedText(): string {
    let out = '';
    for (let i = 0; i < this.length; i++) out += String.fromCodePoint(this.cps[i]);
    return out;
  }

  private grow(capacity: number): void {
    const copy = <T extends Int32Array | Uint8Array>(old: T, fresh: T): T =>
      grownCopy(old, fresh, this.length);
    this.cps = copy(this.cps, new Int32Array(capacity));
    this.kinds = copy(this.kinds, new Uint8Array(capacity));
    this.runs = copy(this.runs, new Int32Array(capacity));
    this.starts = copy(this.starts, new Int32Array(capacity));
    this.ends = copy(this.ends, new Int32Array(capacity));
    this.startsLast = copy(this.startsLast, new Int32Array(capacity));
    this.endsFirst = copy(this.endsFirst, new Int32Array(capacity));
    this.raw = copy(this.raw, new Uint8Array(capacity));
    this.marks = copy(this.marks, new Uint8Array(capacity));
    this.drop = new Uint8Array(capacity);
  }

  private push(cp: number, cls: number, start: number, end: number): void {
    switch (cls) {
      case C_LETTER:
      case C_DIGIT:
      case C_SYM_STRONG:
      case C_SYM_WEAK: {
        if (this.tokenStart < 0) {
          if (this.pendingStart >= 0) this.emitPending(false);
          this.tokenStart = this.length;
          this.tokenPlain = true;
        }
        const last = this.length - 1;
        if (
          cls === C_LETTER &&
          last >= this.tokenStart &&
          (this.tokenPlain || this.raw[last] === C_LETTER) &&
          this.cps[last] === cp
        ) {
          if (this.runs[last] === 1) this.endsFirst[last] = this.ends[last];
          this.runs[last]++;
          this.ends[last] = end;
          this.startsLast[last] = start;
          return;
        }
        if (cls !== C_LETTER && this.tokenPlain) {
          // The letters read on the fast path have no raw class yet: all are letters.
          this.raw.fill(C_LETTER, this.tokenStart, this.length);
          this.tokenPlain = false;
        }
        const at = this.length++;
        this.cps[at] = cp;
        this.raw[at] = cls;
        this.kinds[at] = K_WORD;
        this.runs[at] = 1;
        this.starts[at] = start;
        this.ends[at] = end;
        return;
      }
      case C_CJK:
        if (this.tokenStart >= 0) this.flushToken(true);
        if (this.pendingStart >= 0) this.emitPending(true);
        this.hasCjk = true;
        this.emitRun(cp, K_CJK, 1, start, end, start, end);
        return;
      case C_SPACE:
      case C_NEWLINE:
        if (this.tokenStart >= 0) this.flushToken(false);
        if (this.pendingStart < 0) {
          this.pendingStart = start;
          this.pendingNewline = false;
        }
        this.pendingEnd = end;
        if (cls === C_NEWLINE) this.pendingNewline = true;
        return;
      case C_MARK: {
        // A combining mark belongs to the character before it: widen that character's span.
        if (this.pendingStart >= 0) {
          this.pendingEnd = end;
        } else if (this.length > 0) {
          this.ends[this.length - 1] = end;
        }
        return;
      }
      case C_DROP:
      default:
        return;
    }
  }

  /**
   * A run of separators becomes one space between words. Next to a CJK character it is
   * removed ("习 近.平" → "习近平"), unless it contains a line break or, between two CJK
   * characters, clause punctuation ("学习。近平"); `bridgeSingleCjk` later removes those
   * between single characters.
   */
  private emitPending(nextIsCjk: boolean): void {
    if (this.length > 0) {
      const afterCjk = this.kinds[this.length - 1] === K_CJK;
      if (nextIsCjk && afterCjk) {
        if (this.pendingNewline || this.pendingHasClausePunctuation()) {
          this.emitSpace(this.pendingStart, this.pendingEnd);
          this.cjkBreaks = true;
        }
      } else if (this.pendingNewline || (!nextIsCjk && !afterCjk)) {
        this.emitSpace(this.pendingStart, this.pendingEnd);
      }
    }
    this.pendingStart = -1;
  }

  private pendingHasClausePunctuation(): boolean {
    for (let u = this.pendingStart; u < this.pendingEnd; u++) {
      if (CLAUSE_PUNCTUATION.has(this.text.charCodeAt(u))) return true;
    }
    return false;
  }

  private emitSpace(start: number, end: number): void {
    const last = this.length - 1;
    if (last >= 0 && this.kinds[last] === K_SPACE) {
      this.ends[last] = end;
      return;
    }
    this.emitRun(SPACE_CP, K_SPACE, 1, start, end, start, end);
  }

  /**
   * Appends a run of `run` equal characters, merging it into the previous position when that
   * holds the same letter or CJK character (collapsed repeats; digits are never merged).
   */
  private emitRun(
    cp: number,
    kind: number,
    run: number,
    start: number,
    end: number,
    startLast: number,
    endFirst: number,
  ): void {
    const last = this.length - 1;
    if (
      last >= 0 &&
      kind !== K_DIGIT &&
      kind !== K_SPACE &&
      this.cps[last] === cp &&
      this.kinds[last] === kind
    ) {
      if (this.runs[last] === 1) this.endsFirst[last] = this.ends[last];
      this.runs[last] += run;
      this.ends[last] = end;
      this.startsLast[last] = startLast;
      return;
    }
    const at = this.length++;
    this.cps[at] = cp;
    this.kinds[at] = kind;
    this.runs[at] = run;
    this.starts[at] = start;
    this.ends[at] = end;
    this.startsLast[at] = startLast;
    this.endsFirst[at] = endFirst;
  }

  /**
   * Ends the word being read (positions `tokenStart..length`) and rewrites it in place:
   * `!`, `+`, `|` at its edges are punctuation; in a word with letters, digits and symbols
   * are leetspeak (`sh1t`, `@$$hole`); a number (`455`, `$100`) keeps its digits; a word of
   * symbols only (`@$$`) is leetspeak unless it touches CJK text. A word of letters only is
   * final already.
   */
  private flushToken(nextIsCjk: boolean): void {
    const tokenStart = this.tokenStart;
    const tokenEnd = this.length;
    const plain = this.tokenPlain;
    this.tokenStart = -1;
    this.tokenPlain = false;
    if (plain) return;
    const raw = this.raw;
    let a = tokenStart;
    let b = tokenEnd;
    while (a < b && raw[a] === C_SYM_WEAK) a++;
    while (b > a && raw[b - 1] === C_SYM_WEAK) b--;
    let hasLetter = false;
    let hasDigit = false;
    for (let k = a; k < b; k++) {
      if (raw[k] === C_LETTER) hasLetter = true;
      else if (raw[k] === C_DIGIT) hasDigit = true;
    }
    let mode = hasLetter ? MODE_FOLD : hasDigit ? MODE_KEEP_DIGITS : MODE_SYMBOLS;
    const afterCjk = tokenStart > 0 && this.kinds[tokenStart - 1] === K_CJK;
    if (mode === MODE_SYMBOLS && (nextIsCjk || afterCjk)) mode = MODE_SEPARATOR;
    if (a === b || mode === MODE_SEPARATOR) {
      // Nothing but punctuation: it separates like a space.
      this.length = tokenStart;
      this.pendingStart = this.starts[tokenStart];
      this.pendingEnd = this.ends[tokenEnd - 1];
      this.pendingNewline = false;
      return;
    }
    const trailingStart = b < tokenEnd ? this.starts[b] : -1;
    const trailingEnd = this.ends[tokenEnd - 1];
    this.length = tokenStart;
    if (a > tokenStart && !afterCjk && tokenStart > 0) {
      this.emitSpace(this.starts[tokenStart], this.ends[a - 1]);
    }
    // Reads position r, writes position <= r: safe in place.
    for (let r = a; r < b; r++) {
      const rawClass = raw[r];
      let cp = this.cps[r];
      const run = this.runs[r];
      const start = this.starts[r];
      const end = this.ends[r];
      const startLast = run > 1 ? this.startsLast[r] : start;
      const endFirst = run > 1 ? this.endsFirst[r] : end;
      if (rawClass === C_LETTER) {
        this.emitRun(cp, K_WORD, run, start, end, startLast, endFirst);
        continue;
      }
      if (mode === MODE_KEEP_DIGITS) {
        if (rawClass === C_DIGIT) this.emitRun(cp, K_DIGIT, 1, start, end, start, end);
        else this.emitSpace(start, end);
        continue;
      }
      const leet = cp < 0x80 ? LEET[cp] : 0;
      if (leet !== 0) cp = leet;
      const kind = leet === 0 && rawClass === C_DIGIT ? K_DIGIT : K_WORD;
      this.emitRun(cp, kind, 1, start, end, start, end);
    }
    if (trailingStart >= 0) {
      this.pendingStart = trailingStart;
      this.pendingEnd = trailingEnd;
      this.pendingNewline = false;
    }
  }
}

export interface NormalizedTerm {
  readonly cps: Int32Array;
  readonly kinds: Uint8Array;
  readonly runs: Int32Array;
}

/** Normalises a rule term exactly as text is normalised (copies, safe to keep). */
export function normalizeTerm(term: string, view: MatchView = new MatchView(64)): NormalizedTerm {
  view.normalize(term);
  const n = view.length;
  return {
    cps: view.cps.slice(0, n),
    kinds: view.kinds.slice(0, n),
    runs: view.runs.slice(0, n),
  };
}

export interface NormalizedForMatching {
  /** Folded text, each collapsed run written once. */
  readonly text: string;
  readonly runs: readonly number[];
  /** Original span of each position. */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** The match view as plain values (inspection, tests, the rule editor's "why" display). */
export function normalizeForMatching(text: string): NormalizedForMatching {
  const view = new MatchView(text.length + 8).normalize(text);
  const n = view.length;
  return {
    text: view.foldedText(),
    runs: Array.from(view.runs.subarray(0, n)),
    starts: Array.from(view.starts.subarray(0, n)),
    ends: Array.from(view.ends.subarray(0, n)),
  };
}

// ---------------------------------------------------------------------------------------
// Light view for REGEX and PII rules: compatibility folding of letters, digits and the few
// symbols that PII is written with (full-width "１３８", "ｍａｉｌ＠ｘ．ｃｏｍ", "①", "ﬁ" → ASCII),
// and default-ignorable characters (zero-width space, joiners, soft hyphen…) removed. Case,
// punctuation (including CJK punctuation such as "，" and "。") and spacing are kept, so that
// a pattern matches the text as its author sees it.

export interface LightView {
  readonly text: string;
  /** Segments back to the original text; null when `text` is the original text. */
  readonly map: LightMap | null;
}

/**
 * Sorted segments of the light text: from `lightStarts[k]` on, either the original text
 * continues unchanged from `origStarts[k]` (`origEnds[k] === -1`), or every unit comes from
 * the one original character `[origStarts[k], origEnds[k])`.
 */
export interface LightMap {
  readonly lightStarts: Int32Array;
  readonly origStarts: Int32Array;
  readonly origEnds: Int32Array;
}

function lightClassAt(text: string, i: number): number {
  const cp = text.charCodeAt(i);
  if (cp < 0xd800 || cp > 0xdfff) {
    const cls = LIGHT_CLASS_TABLE[cp];
    return cls === L_UNKNOWN ? lightClassOf(cp) : cls;
  }
  return lightClassOf(text.codePointAt(i) ?? cp);
}

const NON_ASCII = /[^\0-\x7f]/;
const NEXT_NON_ASCII = /[^\0-\x7f]/g;

export function lightView(text: string): LightView {
  const n = text.length;
  // ASCII maps to itself: skip to the first other character with one native search.
  let i = text.search(NON_ASCII);
  if (i < 0) return { text, map: null };
  const unit = unitsOf(text);
  const classTable = LIGHT_CLASS_TABLE;
  const same = L_SAME;
  const unknown = L_UNKNOWN;
  while (i < n) {
    const c = unit[i];
    if (c < 0x80) {
      // Back in ASCII (a word with an umlaut in German text): jump to the next other one.
      NEXT_NON_ASCII.lastIndex = i;
      const next = NEXT_NON_ASCII.exec(text);
      if (next === null) return { text, map: null };
      i = next.index;
      continue;
    }
    const cls = c < 0xd800 ? classTable[c] : unknown;
    if (cls === same) i++;
    else if (lightClassAt(text, i) === same) i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    else break;
  }
  if (i >= n) return { text, map: null };
  const parts: string[] = [];
  const lightStarts: number[] = [];
  const origStarts: number[] = [];
  const origEnds: number[] = [];
  let lightLength = 0;
  let runStart = 0;
  while (i < n) {
    const c = unit[i];
    const isPair = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (unit[i + 1] & 0xfc00) === 0xdc00;
    const width = isPair ? 2 : 1;
    const cls = c < 0xd800 ? classTable[c] : unknown;
    if (cls === same || (cls === unknown && lightClassAt(text, i) === same)) {
      i += width;
      continue;
    }
    if (i > runStart) {
      lightStarts.push(lightLength);
      origStarts.push(runStart);
      origEnds.push(-1);
      parts.push(text.slice(runStart, i));
      lightLength += i - runStart;
    }
    if (lightClassAt(text, i) !== L_DROP) {
      const piece = lightMappedOf(text.codePointAt(i) ?? c);
      lightStarts.push(lightLength);
      origStarts.push(i);
      origEnds.push(i + width);
      parts.push(piece);
      lightLength += piece.length;
    }
    i += width;
    runStart = i;
  }
  if (runStart < n) {
    lightStarts.push(lightLength);
    origStarts.push(runStart);
    origEnds.push(-1);
    parts.push(text.slice(runStart));
  }
  return {
    text: parts.join(''),
    map: {
      lightStarts: Int32Array.from(lightStarts),
      origStarts: Int32Array.from(origStarts),
      origEnds: Int32Array.from(origEnds),
    },
  };
}

/** The last index of `sorted[0..length)` (ascending) holding at most `value`, or 0. */
export function lastAtMost(sorted: Int32Array, length: number, value: number): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (sorted[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function segmentOf(map: LightMap, position: number): number {
  return lastAtMost(map.lightStarts, map.lightStarts.length, position);
}

/** Maps a non-empty span of a light view back to the original text. */
export function lightToOriginal(view: LightView, start: number, end: number): [number, number] {
  const map = view.map;
  if (map === null) return [start, end];
  const first = segmentOf(map, start);
  const originalStart =
    map.origEnds[first] === -1
      ? map.origStarts[first] + (start - map.lightStarts[first])
      : map.origStarts[first];
  const last = segmentOf(map, end - 1);
  const originalEnd =
    map.origEnds[last] === -1
      ? map.origStarts[last] + (end - map.lightStarts[last])
      : map.origEnds[last];
  return [originalStart, originalEnd];
}
