import { compileRegex, findAll, isRegexProblem } from './regex';
import type { PiiDetector, Span } from './types';

/**
 * Detectors of personal information used for doxxing. They run on the light view of the
 * text (NFKC: full-width digits and `＠` are ASCII; zero-width characters removed), with
 * hand-written scanners: one pass over the text, no regular expressions in the loop.
 *
 * Numbers may be written in groups separated by up to two of ` -.()` and no-break space
 * ("138 0013 8000", "1-3-8…", "+1 (415) 555-2671"); a candidate is any sequence of whole
 * groups, so "2024 13800138000" still yields the phone number. A number glued to letters or
 * other digits ("abc13800138000", "213800138000") is not a candidate.
 */

export const PII_PHONE_CN_MOBILE = 'PHONE_CN_MOBILE';
export const PII_PHONE_INTL = 'PHONE_INTL';
export const PII_EMAIL = 'EMAIL';
export const PII_CN_RESIDENT_ID = 'CN_RESIDENT_ID';

/** Kinds that stand for several detectors. */
export const PII_ALIASES: Readonly<Record<string, readonly string[]>> = {
  PHONE: [PII_PHONE_CN_MOBILE, PII_PHONE_INTL],
};

const MAX_GROUPS_PER_WINDOW = 16;
const MAX_DIGITS = 20;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isGroupSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29 || c === 0xa0;
}

interface NumberFindings {
  readonly cnMobile: Span[];
  readonly international: Span[];
  readonly residentId: Span[];
}

let lastText: string | undefined;
let lastFindings: NumberFindings | undefined;

/** Scans digit groups once per text and classifies every window of whole groups. */
function scanNumbers(text: string): NumberFindings {
  if (text === lastText && lastFindings !== undefined) return lastFindings;
  const findings: NumberFindings = { cnMobile: [], international: [], residentId: [] };
  const n = text.length;
  const groupStarts: number[] = [];
  const groupEnds: number[] = [];
  const groupDigits: string[] = [];
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const plus = c === 0x2b && i + 1 < n && isDigit(text.charCodeAt(i + 1));
    if (!plus && !isDigit(c)) {
      i++;
      continue;
    }
    const runStart = i;
    const before = runStart > 0 ? text.charCodeAt(runStart - 1) : 0x20;
    if (plus) i++;
    groupStarts.length = 0;
    groupEnds.length = 0;
    groupDigits.length = 0;
    for (;;) {
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      let digits = text.slice(start, i);
      // The check character of a resident ID (the 18th character) may be X.
      const previous = groupDigits.reduce((sum, group) => sum + group.length, 0);
      const total = previous + digits.length;
      if ((total === 17 || digits.length === 17) && i < n && (text.charCodeAt(i) | 0x20) === 0x78) {
        const after = i + 1 < n ? text.charCodeAt(i + 1) : 0x20;
        if (!isAsciiAlnum(after)) {
          digits += 'X';
          i++;
        }
      }
      groupStarts.push(start);
      groupEnds.push(i);
      groupDigits.push(digits);
      let k = i;
      while (k < n && k - i < 2 && isGroupSeparator(text.charCodeAt(k))) k++;
      if (k > i && k < n && isDigit(text.charCodeAt(k))) {
        i = k;
        continue;
      }
      break;
    }
    const runEnd = i;
    const after = runEnd < n ? text.charCodeAt(runEnd) : 0x20;
    // A group glued to letters or digits is not part of any candidate.
    const first = isAsciiAlnum(before) ? 1 : 0;
    const end = groupDigits.length - (isAsciiAlnum(after) ? 1 : 0);
    if (first < end) {
      classifyWindows(
        groupStarts.slice(first, end),
        groupEnds.slice(first, end),
        groupDigits.slice(first, end),
        plus && first === 0 ? runStart : -1,
        findings,
      );
    }
    while (i < n && isAsciiAlnum(text.charCodeAt(i))) i++;
  }
  lastText = text;
  lastFindings = findings;
  return findings;
}

function classifyWindows(
  starts: readonly number[],
  ends: readonly number[],
  groups: readonly string[],
  plusAt: number,
  findings: NumberFindings,
): void {
  const count = groups.length;
  for (let first = 0; first < count; first++) {
    let digits = '';
    let bestInternational = -1;
    for (let last = first; last < count && last - first < MAX_GROUPS_PER_WINDOW; last++) {
      digits += groups[last];
      if (digits.length > MAX_DIGITS) break;
      const hasX = digits.endsWith('X');
      const start = first === 0 && plusAt >= 0 ? plusAt : starts[first];
      const span = { start, end: ends[last] };
      if (hasX) {
        if (isResidentId(digits)) findings.residentId.push(span);
        break;
      }
      if (isCnMobile(digits, first === 0 && plusAt >= 0)) findings.cnMobile.push(span);
      if (digits.length === 18 && isResidentId(digits)) findings.residentId.push(span);
      if (first === 0 && isInternational(digits, plusAt >= 0)) bestInternational = last;
    }
    if (bestInternational >= 0) {
      findings.international.push({
        start: plusAt >= 0 ? plusAt : starts[0],
        end: ends[bestInternational],
      });
    }
  }
}

function isCnMobile(digits: string, plus: boolean): boolean {
  let national = digits;
  if (digits.length === 15 && digits.startsWith('0086')) national = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) national = digits.slice(2);
  else if (plus) return false;
  if (national.length !== 11 || national.charCodeAt(0) !== 0x31) return false;
  const second = national.charCodeAt(1);
  return second >= 0x33 && second <= 0x39;
}

/** E.164 with a `+` or `00` prefix: country code 1–9…, 8 to 15 digits in all. */
function isInternational(digits: string, plus: boolean): boolean {
  const number = plus ? digits : digits.startsWith('00') ? digits.slice(2) : null;
  if (number === null) return false;
  return number.length >= 8 && number.length <= 15 && number.charCodeAt(0) !== 0x30;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** China's 18-character resident ID: region, birth date YYYYMMDD, sequence, ISO 7064 check. */
export function isResidentId(id: string): boolean {
  if (id.length !== 18 || id.charCodeAt(0) === 0x30) return false;
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const c = id.charCodeAt(k);
    if (!isDigit(c)) return false;
    sum += (c - 0x30) * ID_WEIGHTS[k];
  }
  if (id[17].toUpperCase() !== ID_CHECK[sum % 11]) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function isLocalChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}

function isDomainChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2d || c === 0x2e;
}

/** Email addresses: local part, `@`, at least two domain labels, a TLD of letters. */
export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('@', from);
    if (at < 0) return spans;
    from = at + 1;
    let start = at;
    while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 0x2e) start++;
    if (start === at) continue;
    let end = at + 1;
    while (end < text.length && isDomainChar(text.charCodeAt(end))) end++;
    while (
      end > at + 1 &&
      (text.charCodeAt(end - 1) === 0x2e || text.charCodeAt(end - 1) === 0x2d)
    ) {
      end--;
    }
    const labels = text.slice(at + 1, end).split('.');
    const tld = labels[labels.length - 1];
    if (labels.length < 2 || labels.some((label) => label.length === 0)) continue;
    if (tld.length < 2 || !/^[A-Za-z]+$/.test(tld)) continue;
    spans.push({ start, end });
    from = end;
  }
}

export const BUILTIN_PII_DETECTORS: readonly PiiDetector[] = [
  {
    kind: PII_PHONE_CN_MOBILE,
    description: 'Chinese mobile numbers: 1[3-9] + 9 digits, optionally +86 / 0086',
    find: (text) => scanNumbers(text).cnMobile,
  },
  {
    kind: PII_PHONE_INTL,
    description: 'International numbers with + or 00 and a country code (E.164, 8–15 digits)',
    find: (text) => scanNumbers(text).international,
  },
  {
    kind: PII_EMAIL,
    description: 'Email addresses',
    find: findEmails,
  },
  {
    kind: PII_CN_RESIDENT_ID,
    description: "China's 18-character resident identity number, checksum verified",
    find: (text) => scanNumbers(text).residentId,
  },
];

/**
 * A pluggable detector from an RE2 pattern (and an optional check of each match, e.g. a
 * checksum). Throws when the pattern is not valid RE2.
 */
export function regexPiiDetector(
  kind: string,
  pattern: string,
  validate?: (match: string) => boolean,
  description?: string,
): PiiDetector {
  const compiled = compileRegex(pattern);
  if (isRegexProblem(compiled)) throw new Error(`PII detector ${kind}: ${compiled.message}`);
  return {
    kind,
    description,
    find(text: string): Span[] {
      const pairs: number[] = [];
      findAll(compiled, text, pairs);
      const spans: Span[] = [];
      for (let k = 0; k < pairs.length; k += 2) {
        const start = pairs[k];
        const end = pairs[k + 1];
        if (validate === undefined || validate(text.slice(start, end))) spans.push({ start, end });
      }
      return spans;
    },
  };
}
