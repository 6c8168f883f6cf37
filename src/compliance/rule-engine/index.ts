/**
 * The rule engine: a pure library (no Nest, no I/O) that compiles rule sets and evaluates
 * posts against them. See docs/compliance.md ("Rule engine").
 */
export { compile, evaluate, evaluatePost, testRuleSet, CompiledRules } from './rule-engine';
export { redact, mergeSpans } from './redact';
export { decideOutcome, effectiveAction, normalizeJurisdiction, summarize } from './outcome';
export { RuleCompileError, type RuleCompileErrorCode } from './errors';
export { normalizeForMatching, lightView, type NormalizedForMatching } from './normalizer';
export {
  BUILTIN_PII_DETECTORS,
  PII_ALIASES,
  PII_CN_RESIDENT_ID,
  PII_EMAIL,
  PII_PHONE_CN_MOBILE,
  PII_PHONE_INTL,
  isResidentId,
  regexPiiDetector,
} from './pii';
export { badWordsList } from './profanity';
export * from './types';
