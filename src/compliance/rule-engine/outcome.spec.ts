import { decideOutcome, effectiveAction, summarize } from './outcome';
import { compile, evaluate, evaluatePost, testRuleSet } from './rule-engine';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';
import type { RuleAction, RuleHit } from './types';

function hit(jurisdiction: string, action: RuleAction, overrides: Partial<RuleHit> = {}): RuleHit {
  return {
    ruleId: `${jurisdiction}-${action}`,
    ruleName: `${jurisdiction} ${action}`,
    ruleSetId: `rs-${jurisdiction}`,
    jurisdiction,
    action,
    matcherKind: 'KEYWORDS',
    start: 0,
    end: 4,
    matchedText: 'term',
    legalBasis: `basis ${jurisdiction}`,
    explanation: `explanation ${jurisdiction}`,
    ...overrides,
  };
}

describe('decideOutcome', () => {
  it('publishes when nothing matched', () => {
    expect(decideOutcome([], ['DE'])).toEqual({
      decision: 'PUBLISH',
      flagged: false,
      redactions: [],
      withheldIn: [],
      notices: [],
      summary: 'PUBLISH: no rule matched',
    });
  });

  it('blocks on a BLOCK rule of a governing jurisdiction', () => {
    const sut = decideOutcome([hit('CN', 'BLOCK')], ['CN']);
    expect(sut.decision).toBe('BLOCK');
    expect(sut.withheldIn).toEqual([]);
    expect(sut.summary).toBe('BLOCK by CN "CN BLOCK"');
  });

  it('holds on a HOLD rule of a governing jurisdiction', () => {
    expect(decideOutcome([hit('CN', 'HOLD')], ['CN']).decision).toBe('HOLD');
  });

  it('lets BLOCK win over HOLD', () => {
    expect(decideOutcome([hit('CN', 'HOLD'), hit('DE', 'BLOCK')], ['CN', 'DE']).decision).toBe(
      'BLOCK',
    );
  });

  it('turns a BLOCK of another jurisdiction into WITHHOLD there and publishes elsewhere', () => {
    const sut = decideOutcome([hit('CN', 'BLOCK')], ['DE', 'EU']);
    expect(sut.decision).toBe('PUBLISH');
    expect(sut.withheldIn).toEqual(['CN']);
    expect(sut.notices).toEqual([
      {
        jurisdiction: 'CN',
        ruleId: 'CN-BLOCK',
        ruleName: 'CN BLOCK',
        action: 'WITHHOLD',
        ruleAction: 'BLOCK',
        governing: false,
        legalBasis: 'basis CN',
        explanation: 'explanation CN',
      },
    ]);
    expect(sut.summary).toBe('PUBLISH; withheld in CN');
  });

  it('turns a HOLD of another jurisdiction into WITHHOLD there', () => {
    const sut = decideOutcome([hit('CN', 'HOLD')], ['DE']);
    expect([sut.decision, sut.withheldIn]).toEqual(['PUBLISH', ['CN']]);
  });

  it('turns a REDACT of another jurisdiction into WITHHOLD there, masking nothing', () => {
    const sut = decideOutcome([hit('CN', 'REDACT')], ['DE']);
    expect([sut.redactions, sut.withheldIn]).toEqual([[], ['CN']]);
  });

  it('masks the spans of a governing REDACT rule, merged', () => {
    const sut = decideOutcome(
      [hit('DE', 'REDACT', { start: 5, end: 9 }), hit('DE', 'REDACT', { start: 0, end: 6 })],
      ['DE'],
    );
    expect(sut.redactions).toEqual([{ start: 0, end: 9 }]);
    expect(sut.summary).toBe('PUBLISH; 1 span redacted');
  });

  it('withholds in the rule jurisdiction for WITHHOLD rules, governing or not', () => {
    const sut = decideOutcome([hit('DE', 'WITHHOLD'), hit('FR', 'WITHHOLD')], ['DE']);
    expect([sut.decision, sut.withheldIn]).toEqual(['PUBLISH', ['DE', 'FR']]);
  });

  it('flags for FLAG rules of any jurisdiction', () => {
    expect(decideOutcome([hit('CN', 'FLAG')], ['DE']).flagged).toBe(true);
    expect(decideOutcome([hit('DE', 'FLAG')], ['DE']).flagged).toBe(true);
  });

  it('compares jurisdiction codes case-insensitively', () => {
    expect(decideOutcome([hit('US-CA', 'BLOCK')], ['us-ca']).decision).toBe('BLOCK');
  });

  it('gives one notice per rule, most severe first', () => {
    const sut = decideOutcome(
      [hit('DE', 'FLAG'), hit('DE', 'FLAG', { start: 9, end: 12 }), hit('DE', 'BLOCK')],
      ['DE'],
    );
    expect(sut.notices.map((n) => n.action)).toEqual(['BLOCK', 'FLAG']);
    expect(sut.summary).toBe('BLOCK by DE "DE BLOCK"; flagged for review by DE "DE FLAG"');
  });

  it('maps every action of a non-governing jurisdiction', () => {
    const actions: RuleAction[] = ['BLOCK', 'HOLD', 'FLAG', 'WITHHOLD', 'REDACT'];
    expect(actions.map((a) => effectiveAction(a, false))).toEqual([
      'WITHHOLD',
      'WITHHOLD',
      'FLAG',
      'WITHHOLD',
      'WITHHOLD',
    ]);
    expect(actions.map((a) => effectiveAction(a, true))).toEqual(actions);
  });
});

describe('evaluate outcome', () => {
  const sut = compile([
    aRuleSet('CN', [aRule(keywords('习近平'), { name: 'Leaders', action: 'BLOCK' })]),
    aRuleSet('DE', [aRule(keywords('verboten'), { name: 'Verboten', action: 'HOLD' })]),
    aRuleSet('EU', [aRule({ kind: 'PII', piiKinds: ['EMAIL'] }, { action: 'REDACT' })]),
  ]);

  it('blocks a post that a governing jurisdiction forbids', () => {
    const { outcome } = evaluate(sut, '习近平', { governingJurisdictions: ['CN'] });
    expect(outcome.decision).toBe('BLOCK');
  });

  it('publishes the same post from a German author on a German board, withheld in China', () => {
    const { outcome } = evaluate(sut, '习近平', { governingJurisdictions: ['DE', 'EU'] });
    expect([outcome.decision, outcome.withheldIn]).toEqual(['PUBLISH', ['CN']]);
  });

  it('applies a group jurisdiction when the caller lists the group as governing', () => {
    const { outcome } = evaluate(sut, 'mail me: a@b.de', { governingJurisdictions: ['DE', 'EU'] });
    expect(outcome.redactions).toEqual([{ start: 9, end: 15 }]);
  });
});

describe('evaluatePost', () => {
  it('decides on title and body together and masks each field', () => {
    const sut = compile([
      aRuleSet('DE', [
        aRule({ kind: 'PII', piiKinds: ['EMAIL'] }, { action: 'REDACT' }),
        aRule(keywords('verboten'), { action: 'HOLD', fields: ['title'] }),
      ]),
    ]);
    const result = evaluatePost(
      sut,
      { title: 'verboten a@b.de', body: 'verboten, write x@y.org' },
      { governingJurisdictions: ['DE'], boardKind: 'PUBLIC' },
    );
    expect(result.outcome.decision).toBe('HOLD');
    expect(result.outcome.redactions).toEqual([
      { start: 9, end: 15, field: 'title' },
      { start: 16, end: 23, field: 'body' },
    ]);
    expect([result.redactedTitle, result.redactedBody]).toEqual([
      'verboten ******',
      'verboten, write *******',
    ]);
  });
});

describe('testRuleSet', () => {
  it('treats the rule set jurisdiction as governing and returns the masked text', () => {
    const report = testRuleSet(
      aRuleSet('CN', [
        aRule({ kind: 'PII', piiKinds: ['PHONE'] }, { action: 'REDACT' }),
        aRule(keywords('习近平'), { action: 'HOLD', boardKinds: ['COMPANY'] }),
      ]),
      '习近平 13800138000',
      { boardKind: 'PUBLIC' },
    );
    expect(report.hits.map((h) => h.matchedText)).toEqual(['13800138000']);
    expect(report.outcome.decision).toBe('PUBLISH');
    expect(report.redactedText).toBe('习近平 ***********');
  });

  it('summarises a notice kept without its jurisdiction by its rule name alone', () => {
    const notices = [
      {
        jurisdiction: '',
        ruleName: "a rule of the author's jurisdiction",
        action: 'HOLD' as const,
      },
      { jurisdiction: 'US', ruleName: 'Giveaways', action: 'FLAG' as const },
    ];
    expect(summarize('HOLD', notices, ['DE'], 0, true)).toBe(
      'HOLD by a rule of the author\'s jurisdiction; withheld in DE; flagged for review by US "Giveaways"',
    );
  });
});
