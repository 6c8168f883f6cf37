import { roundToMinute } from '../../common/time';
import { BoardKind } from '../../boards/board.model';
import { RuleAction } from '../notices/compliance-notice.model';
import type {
  RuleDefinition,
  RuleHit as EngineRuleHit,
  RuleSetDefinition,
  RuleTestReport,
  TextField,
} from '../rule-engine';
import {
  toEngineOptions,
  toMatchOptionsModel,
  toMatchStep,
  toTermExpansion,
} from './match-options';
import type { RuleEntity } from './rule.entity';
import type { RuleSetVersionEntity } from './rule-set-version.entity';
import {
  MatcherKind,
  PostField,
  RuleSetStatus,
  type Rule,
  type RuleHit,
  type RuleSetVersion,
  type RuleTestResult,
} from './rule-set.model';

export function toRuleSetVersionModel(version: RuleSetVersionEntity): RuleSetVersion {
  return {
    id: version.id,
    jurisdiction: version.jurisdiction,
    version: version.version,
    status: RuleSetStatus[version.status],
    createdAt: roundToMinute(version.createdAt),
    updatedAt: roundToMinute(version.updatedAt),
    publishedAt: version.publishedAt === null ? null : roundToMinute(version.publishedAt),
    basedOnVersion: version.basedOnVersion,
    rollbackOf: version.rollbackOf,
    lastEditor: version.lastEditor,
  };
}

export function toRuleModel(rule: RuleEntity): Rule {
  return {
    id: rule.id,
    name: rule.name,
    matcher: {
      kind: MatcherKind[rule.matcherKind],
      terms: rule.terms,
      pattern: rule.pattern,
      piiKinds: rule.piiKinds,
      exclude: rule.exclude,
      options: toMatchOptionsModel(rule.matchOptions),
    },
    action: RuleAction[rule.action],
    boardKinds: rule.boardKinds.map((kind) => BoardKind[kind]),
    fields: rule.fields.map(toPostField),
    legalBasis: rule.legalBasis,
    explanation: rule.explanation,
    enabled: rule.enabled,
  };
}

export function toPostField(field: TextField): PostField {
  return field === 'title' ? PostField.TITLE : PostField.BODY;
}

export function toTextField(field: PostField): TextField {
  return field === PostField.TITLE ? 'title' : 'body';
}

/** A stored rule in the rule engine's terms. */
export function toRuleDefinition(rule: RuleEntity): RuleDefinition {
  return {
    id: rule.id,
    name: rule.name,
    matcher: {
      kind: rule.matcherKind,
      terms: rule.terms,
      pattern: rule.pattern,
      piiKinds: rule.piiKinds,
      exclude: rule.exclude,
      ...toEngineOptions(rule.matchOptions),
    },
    action: rule.action,
    boardKinds: rule.boardKinds,
    fields: rule.fields,
    legalBasis: rule.legalBasis,
    explanation: rule.explanation,
    enabled: rule.enabled,
  };
}

/** A stored version and its rules (in order) in the rule engine's terms. */
export function toRuleSetDefinition(
  version: RuleSetVersionEntity,
  rules: readonly RuleEntity[],
): RuleSetDefinition {
  return {
    id: version.id,
    jurisdiction: version.jurisdiction,
    version: version.version,
    rules: rules.map(toRuleDefinition),
  };
}

export function toRuleHitModel(hit: EngineRuleHit): RuleHit {
  return {
    ruleId: hit.ruleId,
    ruleName: hit.ruleName,
    action: RuleAction[hit.action],
    jurisdiction: hit.jurisdiction,
    start: hit.start,
    end: hit.end,
    matchedText: hit.matchedText,
    matcherKind: MatcherKind[hit.matcherKind],
    piiKind: hit.piiKind ?? null,
    via: toMatchStep(hit.via),
    expansion: toTermExpansion(hit.expansion),
  };
}

export function toRuleTestResultModel(report: RuleTestReport): RuleTestResult {
  return {
    hits: report.hits.map(toRuleHitModel),
    outcome: report.outcome.summary,
    redactedText: report.redactedText,
  };
}
