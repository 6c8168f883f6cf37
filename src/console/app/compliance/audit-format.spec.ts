import { auditCsv, detailLines, subjectLink, valueText } from './audit-format';

describe('subjectLink', () => {
  it('links a rule set version to its page, named by jurisdiction and version', () => {
    expect(subjectLink('ruleSet:abc', { jurisdiction: 'DE', version: 3 })).toEqual({
      label: 'Rule set DE version 3',
      route: ['rule-sets', 'abc'],
    });
  });

  it('links a rule to the version it is in, by its name', () => {
    expect(
      subjectLink('rule:r1', {
        ruleSetId: 'v1',
        jurisdiction: 'FR',
        version: 2,
        after: { name: 'Insults' },
      }),
    ).toEqual({ label: 'Rule “Insults” in FR version 2', route: ['rule-sets', 'v1'] });
  });

  it('links a review item to its page and shows other subjects as text', () => {
    expect(subjectLink('review:9', {})).toEqual({ label: 'Review item', route: ['queue', '9'] });
    expect(subjectLink('staff:Staff Quiet Heron 1234', {})).toEqual({
      label: 'Staff Quiet Heron 1234',
      route: null,
    });
    expect(subjectLink('board:b', { after: { slug: 'layoffs' } }).label).toBe('Board layoffs');
    expect(subjectLink('something else', {})).toEqual({ label: 'something else', route: null });
  });
});

describe('detailLines', () => {
  it('lists facts in words and only the fields an edit changed', () => {
    expect(
      detailLines({
        jurisdiction: 'DE',
        superseded: null,
        applyRetroactively: false,
        before: { name: 'A', terms: ['x', 'y'], enabled: true },
        after: { name: 'A', terms: ['x', 'z'], enabled: true },
      }),
    ).toEqual([
      { kind: 'fact', key: 'jurisdiction', value: 'DE' },
      { kind: 'fact', key: 'superseded', value: '—' },
      { kind: 'fact', key: 'applyRetroactively', value: 'no' },
      { kind: 'change', key: 'terms', before: 'x, y', after: 'x, z' },
    ]);
  });

  it('spells out nested objects as key: value pairs', () => {
    expect(valueText({ ruleSetId: 'v', version: 1 })).toBe('version 1');
    expect(valueText({ from: 4, to: 5 })).toBe('from: 4; to: 5');
    expect(detailLines({ after: { role: 'MODERATOR' } })).toEqual([
      { kind: 'fact', key: 'after', value: 'role: MODERATOR' },
    ]);
  });
});

describe('auditCsv', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = auditCsv([
      {
        at: '2026-12-05T10:00:00.000Z',
        log: 'content',
        seq: 7,
        actorHandle: 'Staff Quiet Heron 1234',
        actorRole: 'COMPLIANCE_OFFICER',
        action: 'ruleSet.publish',
        subject: '=HYPERLINK("x")',
        detail: '{"a":"b, c"}',
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'at,log,seq,actorHandle,actorRole,action,subject,detail',
      `2026-12-05T10:00:00.000Z,content,7,Staff Quiet Heron 1234,COMPLIANCE_OFFICER,ruleSet.publish,"'=HYPERLINK(""x"")","{""a"":""b, c""}"`,
      '',
    ]);
  });
});
