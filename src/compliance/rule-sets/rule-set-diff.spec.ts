import { diffRules } from './rule-set-diff';
import type { RuleEntity } from './rule.entity';

const rule = (
  id: string,
  name: string,
  position: number,
  over: Partial<RuleEntity> = {},
): RuleEntity => ({
  id,
  ruleSetId: id.startsWith('a') ? 'active' : 'draft',
  position,
  name,
  matcherKind: 'KEYWORDS',
  terms: ['x'],
  pattern: null,
  piiKinds: [],
  exclude: [],
  matchOptions: {},
  action: 'FLAG',
  boardKinds: [],
  fields: [],
  legalBasis: 'basis',
  explanation: 'why',
  enabled: true,
  ...over,
});

describe('diffRules', () => {
  it('pairs copies by name: unchanged copies are neither added nor changed, whatever their ids and order', () => {
    const active = [rule('a1', 'One', 0), rule('a2', 'Two', 1)];
    const draft = [rule('d2', 'Two', 0), rule('d1', 'One', 1)];
    expect(diffRules(active, draft)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports added, removed and changed rules (any field)', () => {
    const active = [rule('a1', 'One', 0), rule('a2', 'Two', 1), rule('a3', 'Three', 2)];
    const draft = [
      rule('d1', 'One', 0, { enabled: false }),
      rule('d2', 'Two', 1, { matchOptions: { reversed: false } }),
      rule('d4', 'Four', 2),
    ];
    const diff = diffRules(active, draft);
    expect(diff.added.map((r) => r.id)).toEqual(['d4']);
    expect(diff.removed.map((r) => r.id)).toEqual(['a3']);
    expect(diff.changed.map((c) => [c.before.id, c.after.id])).toEqual([
      ['a1', 'd1'],
      ['a2', 'd2'],
    ]);
  });

  it('pairs rules of the same name in order and treats a rename as removed plus added', () => {
    const active = [rule('a1', 'Same', 0), rule('a2', 'Same', 1, { terms: ['y'] })];
    const draft = [rule('d1', 'Same', 0), rule('d9', 'Renamed', 1, { terms: ['y'] })];
    const diff = diffRules(active, draft);
    expect(diff.changed).toEqual([]);
    expect(diff.added.map((r) => r.id)).toEqual(['d9']);
    expect(diff.removed.map((r) => r.id)).toEqual(['a2']);
  });

  it('has every rule added against no active version', () => {
    expect(diffRules([], [rule('d1', 'One', 0)]).added.map((r) => r.id)).toEqual(['d1']);
  });
});
