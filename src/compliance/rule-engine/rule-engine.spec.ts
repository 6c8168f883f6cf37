import { compile, evaluate, type CompiledRules } from './rule-engine';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';
import type { EvaluationContext, RuleHit } from './types';

const context: EvaluationContext = { governingJurisdictions: ['CN'] };

function hitsOf(sut: CompiledRules, text: string, ctx = context): RuleHit[] {
  const { hits } = evaluate(sut, text, ctx);
  for (const hit of hits) expect(text.slice(hit.start, hit.end)).toBe(hit.matchedText);
  return [...hits];
}

function matched(sut: CompiledRules, text: string): string[] {
  return hitsOf(sut, text).map((hit) => hit.matchedText);
}

describe('rule engine matching', () => {
  const profanity = compile([
    aRuleSet('US', [aRule({ kind: 'PROFANITY' }, { id: 'profanity', action: 'FLAG' })]),
  ]);
  const leaders = compile([
    aRuleSet('CN', [aRule(keywords('习近平', '8964'), { id: 'leaders', name: 'Leaders' })]),
  ]);

  describe('evasions that still match', () => {
    it('matches full-width Latin letters', () => {
      expect(matched(profanity, 'what ｓｈｉｔ is this')).toEqual(['ｓｈｉｔ']);
    });

    it('matches upper and mixed case', () => {
      expect(matched(profanity, 'SHIT happens, ShIt')).toEqual(['SHIT', 'ShIt']);
    });

    it('matches leetspeak digits and symbols', () => {
      expect(matched(profanity, 'sh1t and 5h!t and @$$hole')).toEqual(['sh1t', '5h!t', '@$$hole']);
    });

    it('matches the long s and accented letters', () => {
      expect(matched(profanity, 'ſhit and shït')).toEqual(['ſhit', 'shït']);
    });

    it('matches a letter followed by a combining mark, covering the mark', () => {
      expect(matched(profanity, 'shi\u0301t.')).toEqual(['shi\u0301t']);
    });

    it('matches Cyrillic and Greek homoglyphs', () => {
      expect(matched(profanity, 'ѕhіt and ѕһιτ')).toEqual(['ѕhіt', 'ѕһιτ']);
    });

    it('matches mathematical and circled letters', () => {
      expect(matched(profanity, '𝐬𝐡𝐢𝐭 ⓢⓗⓘⓣ')).toEqual(['𝐬𝐡𝐢𝐭', 'ⓢⓗⓘⓣ']);
    });

    it('matches letters repeated three times or more', () => {
      expect(matched(profanity, 'shiiiiit and sssshit')).toEqual(['shiiiiit', 'sssshit']);
    });

    it('matches with zero-width characters inside the word', () => {
      expect(matched(profanity, 's\u200Bh\u200Ci\u200Dt \u2060shit\uFEFF')).toEqual([
        's\u200Bh\u200Ci\u200Dt',
        'shit',
      ]);
    });

    it('matches with a soft hyphen and a variation selector inside the word', () => {
      expect(matched(profanity, 'sh\u00ADi\uFE0Ft')).toEqual(['sh\u00ADi\uFE0Ft']);
    });

    it('matches a word glued to Chinese text', () => {
      expect(matched(profanity, '你真是shit啊')).toEqual(['shit']);
    });

    it('matches a Traditional Chinese spelling of a Simplified term', () => {
      expect(matched(leaders, '我們談談習近平吧')).toEqual(['習近平']);
    });

    it('matches a Simplified term written with Hong Kong and Taiwan variants', () => {
      const sut = compile([aRuleSet('CN', [aRule(keywords('台湾'))])]);
      expect(matched(sut, '臺灣和台灣')).toEqual(['臺灣', '台灣']);
    });

    it('matches CJK terms with spaces inserted between the characters', () => {
      expect(matched(leaders, '说起习 近  平来')).toEqual(['习 近  平']);
    });

    it('matches CJK terms with punctuation and symbols inserted', () => {
      expect(matched(leaders, '习.近.平 / 习*近_平 / 习，近。平 / 习😀近♥平 / 习$近@平')).toEqual([
        '习.近.平',
        '习*近_平',
        '习，近。平',
        '习😀近♥平',
        '习$近@平',
      ]);
    });

    it('matches CJK terms with zero-width characters inserted', () => {
      expect(matched(leaders, '习\u200B近\u200D平')).toEqual(['习\u200B近\u200D平']);
    });

    it('matches full-width digits next to CJK text', () => {
      expect(matched(leaders, '纪念８９６４事件')).toEqual(['８９６４']);
    });

    it('matches a CJK term inside a longer run of CJK text (substring)', () => {
      expect(matched(leaders, '学习习近平思想')).toEqual(['习近平']);
    });

    it('matches a CJK term inside a repeated character run and covers only the term', () => {
      const sut = compile([aRuleSet('CN', [aRule(keywords('哈人'))])]);
      expect(hitsOf(sut, '哈哈哈人').map((h) => [h.start, h.end])).toEqual([[2, 4]]);
    });

    it('matches multi-word Latin terms across any separators', () => {
      const sut = compile([aRuleSet('US', [aRule(keywords('project falcon'))])]);
      expect(matched(sut, 'PROJECT-FALCON, project   falcon, project_falcon')).toEqual([
        'PROJECT-FALCON',
        'project   falcon',
        'project_falcon',
      ]);
    });

    it('matches a mixed Latin/CJK term, with a word boundary on the Latin side only', () => {
      const sut = compile([aRuleSet('CN', [aRule(keywords('xi大大'))])]);
      expect(matched(sut, '说xi大大好, XI 大大, taxi大大')).toEqual(['xi大大', 'XI 大大']);
    });

    it('matches the spaced-out words of the bad-words list', () => {
      expect(matched(profanity, 'f u c k that')).toEqual(['f u c k']);
    });
  });

  describe('words that must not match (Scunthorpe problem)', () => {
    it.each([
      'Scunthorpe',
      'assassin',
      'classic',
      'grass',
      'cockpit',
      'Essex and Sussex',
      'shitake',
      'therapist',
      'class',
      'as good as it gets',
      'bass',
      'passion',
      'Matsushita',
    ])('does not match inside "%s"', (text) => {
      expect(matched(profanity, text)).toEqual([]);
    });

    it('does not treat doubled letters in real words as lengthening', () => {
      expect(matched(profanity, 'a good noob')).toEqual([]);
    });

    it('does not turn numbers into letters', () => {
      expect(matched(profanity, 'route 455, bus 455')).toEqual([]);
    });

    it('keeps a trailing exclamation mark as punctuation', () => {
      expect(matched(profanity, 'shit!!!')).toEqual(['shit']);
    });

    it('does not match a number inside a longer number', () => {
      expect(matched(leaders, '18964 and 89640')).toEqual([]);
    });

    it('does not join Latin letters across a space', () => {
      expect(matched(profanity, 'sh it')).toEqual([]);
    });

    it('does not join CJK characters across a line break', () => {
      expect(matched(leaders, '学习\n近平')).toEqual([]);
    });
  });

  describe('known limits of substring matching (docs/compliance.md)', () => {
    it('finds a CJK term across the boundary of two words when the word check is off', () => {
      const sut = compile([aRuleSet('CN', [aRule({ ...keywords('法轮'), checkWords: false })])]);
      expect(matched(sut, '方法轮流使用')).toEqual(['法轮']);
    });

    it('finds a three-character CJK term across the boundary of two words', () => {
      expect(matched(leaders, '学习近平时')).toEqual(['习近平']);
    });
  });

  describe('term options', () => {
    it('drops the word boundary on the side of a trailing * wildcard', () => {
      const sut = compile([aRuleSet('US', [aRule(keywords('scam*'))])]);
      expect(matched(sut, 'scammers and a scam, not ascam')).toEqual(['scammers', 'scam']);
    });

    it('extends the bad-words list with the terms of a PROFANITY rule', () => {
      const sut = compile([aRuleSet('US', [aRule({ kind: 'PROFANITY', terms: ['frak'] })])]);
      expect(matched(sut, 'frak it, shit')).toEqual(['frak', 'shit']);
    });

    it('leaves out the excluded words of a PROFANITY rule', () => {
      const sut = compile([aRuleSet('US', [aRule({ kind: 'PROFANITY', exclude: ['God'] })])]);
      expect(matched(sut, 'oh God')).toEqual([]);
      expect(matched(profanity, 'oh God')).toEqual(['God']);
    });
  });

  describe('hits', () => {
    it('reports rule, rule set, jurisdiction, action, legal basis and explanation', () => {
      const sut = compile([
        aRuleSet(
          'cn',
          [
            aRule(keywords('习近平'), {
              id: 'r1',
              name: 'Leaders',
              action: 'HOLD',
              legalBasis: 'Art. 1',
              explanation: 'Why',
            }),
          ],
          'set-1',
        ),
      ]);
      expect(evaluate(sut, 'a 习近平', { ...context, field: 'body' }).hits).toEqual([
        {
          ruleId: 'r1',
          ruleName: 'Leaders',
          ruleSetId: 'set-1',
          jurisdiction: 'CN',
          action: 'HOLD',
          matcherKind: 'KEYWORDS',
          start: 2,
          end: 5,
          matchedText: '习近平',
          legalBasis: 'Art. 1',
          explanation: 'Why',
          field: 'body',
          via: 'exact',
        },
      ]);
    });

    it('reports every occurrence, in text order', () => {
      expect(hitsOf(leaders, '习近平 8964 习近平').map((h) => h.start)).toEqual([0, 4, 9]);
    });

    it('reports a term inside a longer term of the same rule once', () => {
      const sut = compile([aRuleSet('CN', [aRule(keywords('近平', '习近平'))])]);
      expect(matched(sut, '习近平')).toEqual(['习近平']);
    });

    it('reports the same span for each rule that has the term', () => {
      const sut = compile([
        aRuleSet('CN', [aRule(keywords('习近平'), { id: 'a' })]),
        aRuleSet('DE', [aRule(keywords('習近平'), { id: 'b' })]),
      ]);
      expect(hitsOf(sut, '习近平').map((h) => h.ruleId)).toEqual(['a', 'b']);
    });

    it('keeps offsets exact around astral characters', () => {
      const text = '😀😀 shit 𝐬𝐡𝐢𝐭 😀';
      expect(hitsOf(profanity, text).map((h) => [h.start, h.end])).toEqual([
        [5, 9],
        [10, 18],
      ]);
    });

    it('returns no hits for empty text', () => {
      expect(hitsOf(profanity, '')).toEqual([]);
    });
  });

  describe('scope', () => {
    const sut = compile([
      aRuleSet('CN', [
        aRule(keywords('alpha'), { id: 'company-only', boardKinds: ['COMPANY'] }),
        aRule(keywords('alpha'), { id: 'title-only', fields: ['title'] }),
        aRule(keywords('alpha'), { id: 'disabled', enabled: false }),
        aRule(keywords('alpha'), { id: 'everywhere' }),
      ]),
    ]);
    const ids = (ctx: Partial<EvaluationContext>): string[] =>
      evaluate(sut, 'alpha', { ...context, ...ctx }).hits.map((h) => h.ruleId);

    it('applies a board-kind-scoped rule only on that kind of board', () => {
      expect(ids({ boardKind: 'PUBLIC', field: 'body' })).toEqual(['everywhere']);
      expect(ids({ boardKind: 'COMPANY', field: 'body' })).toEqual(['company-only', 'everywhere']);
    });

    it('applies a field-scoped rule only to that field', () => {
      expect(ids({ boardKind: 'PUBLIC', field: 'title' })).toEqual(['title-only', 'everywhere']);
    });

    it('applies every enabled rule when the context names no board kind or field', () => {
      expect(ids({})).toEqual(['company-only', 'title-only', 'everywhere']);
    });

    it('leaves disabled rules out of the compiled set', () => {
      expect(sut.stats.rules).toBe(3);
    });
  });

  describe('all matcher kinds together', () => {
    it('finds keywords, profanity, PII and regex hits in one text', () => {
      const sut = compile([
        aRuleSet('CN', [
          aRule(keywords('习近平'), { id: 'kw' }),
          aRule({ kind: 'PROFANITY' }, { id: 'prof', action: 'FLAG' }),
          aRule({ kind: 'PII', piiKinds: ['PHONE'] }, { id: 'pii', action: 'REDACT' }),
          aRule({ kind: 'REGEX', pattern: 'Project [A-Z][a-z]+' }, { id: 're', action: 'HOLD' }),
        ]),
      ]);
      const text = '習近平 sh1t call １３８ ００１３ ８０００ about Project Falcon';
      expect(hitsOf(sut, text).map((h) => [h.ruleId, h.matchedText])).toEqual([
        ['kw', '習近平'],
        ['prof', 'sh1t'],
        ['pii', '１３８ ００１３ ８０００'],
        ['re', 'Project Falcon'],
      ]);
    });
  });
});
