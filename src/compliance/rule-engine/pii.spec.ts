import { BUILTIN_PII_DETECTORS, isResidentId, regexPiiDetector } from './pii';
import { compile, evaluate } from './rule-engine';
import { aRule, aRuleSet } from './testing/rule-builders';

function found(text: string, piiKinds: string[]): string[] {
  const sut = compile([aRuleSet('CN', [aRule({ kind: 'PII', piiKinds })])]);
  return evaluate(sut, text, { governingJurisdictions: ['CN'] }).hits.map((h) => h.matchedText);
}

describe('PII detection', () => {
  describe('Chinese mobile numbers', () => {
    it('finds an 11-digit mobile number', () => {
      expect(found('电话13800138000联系', ['PHONE_CN_MOBILE'])).toEqual(['13800138000']);
    });

    it('finds numbers written in groups with spaces, hyphens or dots', () => {
      expect(found('138 0013 8000; 138-0013-8000; 138.0013.8000', ['PHONE_CN_MOBILE'])).toEqual([
        '138 0013 8000',
        '138-0013-8000',
        '138.0013.8000',
      ]);
    });

    it('finds a number with the +86 or 0086 country code', () => {
      expect(found('+86 138 0013 8000 or 0086 13800138000', ['PHONE_CN_MOBILE'])).toEqual([
        '+86 138 0013 8000',
        '0086 13800138000',
      ]);
    });

    it('finds full-width digits and digits spaced out one by one', () => {
      expect(found('１３８００１３８０００ / 1 3 8 0 0 1 3 8 0 0 0', ['PHONE_CN_MOBILE'])).toEqual([
        '１３８００１３８０００',
        '1 3 8 0 0 1 3 8 0 0 0',
      ]);
    });

    it('finds digits with zero-width characters inserted', () => {
      expect(found('138\u200B0013\u200C8000', ['PHONE_CN_MOBILE'])).toEqual([
        '138\u200B0013\u200C8000',
      ]);
    });

    it('finds a number right after another number group', () => {
      expect(found('2024 13800138000', ['PHONE_CN_MOBILE'])).toEqual(['13800138000']);
    });

    it('ignores numbers that do not start with 13–19, are too long, or touch letters', () => {
      expect(
        found('12800138000 213800138000 abc13800138000 order#13800138000x', ['PHONE']),
      ).toEqual([]);
    });
  });

  describe('international numbers', () => {
    it('finds E.164 numbers with a + prefix in common layouts', () => {
      expect(found('+1 (415) 555-2671, +44 20 7946 0958, +4930123456', ['PHONE_INTL'])).toEqual([
        '+1 (415) 555-2671',
        '+44 20 7946 0958',
        '+4930123456',
      ]);
    });

    it('finds numbers with a 00 prefix', () => {
      expect(found('call 0044 20 7946 0958', ['PHONE_INTL'])).toEqual(['0044 20 7946 0958']);
    });

    it('ignores short numbers and numbers without a country prefix', () => {
      expect(found('+12 345, 415 555 2671, 2024', ['PHONE_INTL'])).toEqual([]);
    });
  });

  describe('email addresses', () => {
    it('finds plain, dotted and plus addresses', () => {
      expect(found('a@b.co, first.last+tag@mail.example.org.', ['EMAIL'])).toEqual([
        'a@b.co',
        'first.last+tag@mail.example.org',
      ]);
    });

    it('finds full-width addresses', () => {
      expect(found('ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', ['EMAIL'])).toEqual([
        'ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ',
      ]);
    });

    it('ignores handles and addresses without a domain', () => {
      expect(found('@someone, me@localhost, x@y.1', ['EMAIL'])).toEqual([]);
    });
  });

  describe('Chinese resident ID', () => {
    it('finds an ID with a valid check character', () => {
      expect(found('身份证11010519491231002X', ['CN_RESIDENT_ID'])).toEqual(['11010519491231002X']);
    });

    it('finds an ID with a lower-case x and with spaces between its parts', () => {
      expect(found('11010519491231002x; 110105 19491231 002X', ['CN_RESIDENT_ID'])).toEqual([
        '11010519491231002x',
        '110105 19491231 002X',
      ]);
    });

    it('ignores an 18-digit number with a wrong check character', () => {
      expect(found('110105194912310021', ['CN_RESIDENT_ID'])).toEqual([]);
    });

    it('validates the checksum and the birth date', () => {
      expect(isResidentId('11010519491231002X')).toBe(true);
      expect(isResidentId('11010519491331002X')).toBe(false);
      expect(isResidentId('110105194912310029')).toBe(false);
    });
  });

  describe('kinds', () => {
    it('uses every built-in detector when no kind is given', () => {
      expect(found('a@b.co 13800138000 11010519491231002X', [])).toEqual([
        'a@b.co',
        '13800138000',
        '11010519491231002X',
      ]);
    });

    it('lists four built-in detectors', () => {
      expect(BUILTIN_PII_DETECTORS.map((d) => d.kind)).toEqual([
        'PHONE_CN_MOBILE',
        'PHONE_INTL',
        'EMAIL',
        'CN_RESIDENT_ID',
      ]);
    });

    it('accepts pluggable detectors passed at compile time', () => {
      const iban = regexPiiDetector('IBAN_DE', '\\bDE\\d{20}\\b');
      const sut = compile([aRuleSet('DE', [aRule({ kind: 'PII', piiKinds: ['iban_de'] })])], {
        piiDetectors: [iban],
      });
      expect(
        evaluate(sut, 'IBAN DE89370400440532013000.', { governingJurisdictions: ['DE'] }).hits.map(
          (h) => [h.matchedText, h.piiKind],
        ),
      ).toEqual([['DE89370400440532013000', 'IBAN_DE']]);
    });
  });
});
