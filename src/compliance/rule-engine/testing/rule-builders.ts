import type { MatcherDefinition, RuleAction, RuleDefinition, RuleSetDefinition } from '../types';

let sequence = 0;

/** A rule with defaults; override what the test is about. */
export function aRule(
  matcher: MatcherDefinition,
  overrides: Partial<Omit<RuleDefinition, 'matcher'>> = {},
): RuleDefinition {
  sequence++;
  return {
    id: `rule-${sequence}`,
    name: `Rule ${sequence}`,
    matcher,
    action: 'BLOCK' satisfies RuleAction,
    legalBasis: 'Test basis',
    explanation: 'Test explanation',
    ...overrides,
  };
}

export function aRuleSet(
  jurisdiction: string,
  rules: readonly RuleDefinition[],
  id = `rs-${jurisdiction}-${++sequence}`,
): RuleSetDefinition {
  return { id, jurisdiction, version: 1, rules };
}

export function keywords(...terms: string[]): MatcherDefinition {
  return { kind: 'KEYWORDS', terms };
}
