import type { RuleEntity } from './rule.entity';

/** A rule of the active version and its counterpart in the compared version. */
export interface RuleEntityChange {
  readonly before: RuleEntity;
  readonly after: RuleEntity;
}

export interface RuleEntityDiff {
  readonly added: RuleEntity[];
  readonly removed: RuleEntity[];
  readonly changed: RuleEntityChange[];
}

/** What a rule says: every field but its id, its version and its place in the order. */
export function ruleContentKey(rule: RuleEntity): string {
  return JSON.stringify([
    rule.name,
    rule.matcherKind,
    rule.terms,
    rule.pattern,
    rule.piiKinds,
    rule.exclude,
    sortedKeys(rule.matchOptions),
    rule.action,
    rule.boardKinds,
    rule.fields,
    rule.legalBasis,
    rule.explanation,
    rule.enabled,
  ]);
}

function sortedKeys(value: object): Array<[string, unknown]> {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `RuleSetVersion.diff`: a version's rules against the active version's. Rules are paired by
 * name (a draft's rules are copies with new ids; the name is what stays): the n-th rule of a
 * name in one version with the n-th of that name in the other. A paired rule with any field
 * different is changed; one with all fields equal (a copy left as it was) is neither added
 * nor changed. Order: the compared version's for added and changed, the active one's for removed.
 */
export function diffRules(
  active: readonly RuleEntity[],
  version: readonly RuleEntity[],
): RuleEntityDiff {
  const byName = new Map<string, RuleEntity[]>();
  for (const rule of [...active].sort((a, b) => a.position - b.position)) {
    byName.set(rule.name, [...(byName.get(rule.name) ?? []), rule]);
  }
  const added: RuleEntity[] = [];
  const changed: RuleEntityChange[] = [];
  const paired = new Set<RuleEntity>();
  for (const rule of [...version].sort((a, b) => a.position - b.position)) {
    const before = byName.get(rule.name)?.shift();
    if (before === undefined) {
      added.push(rule);
      continue;
    }
    paired.add(before);
    if (ruleContentKey(before) !== ruleContentKey(rule)) changed.push({ before, after: rule });
  }
  const removed = [...active]
    .sort((a, b) => a.position - b.position)
    .filter((rule) => !paired.has(rule));
  return { added, removed, changed };
}
