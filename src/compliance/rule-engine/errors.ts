export type RuleCompileErrorCode =
  | 'INVALID_RULE'
  | 'DUPLICATE_RULE_ID'
  | 'EMPTY_TERMS'
  | 'INVALID_TERM'
  | 'INVALID_REGEX'
  | 'UNSUPPORTED_REGEX'
  | 'REGEX_TOO_LARGE'
  | 'UNKNOWN_PII_KIND';

/**
 * A rule that cannot be compiled. The message names the rule and says what to change; it is
 * meant to be shown to the compliance officer editing the rule (`BAD_USER_INPUT`).
 */
export class RuleCompileError extends Error {
  override readonly name = 'RuleCompileError';

  constructor(
    readonly code: RuleCompileErrorCode,
    readonly ruleId: string | undefined,
    readonly ruleSetId: string | undefined,
    /** What is wrong, without naming the rule (the message names it, ids included). */
    readonly detail: string,
    readonly ruleName?: string,
  ) {
    super(
      ruleId === undefined
        ? detail
        : `Rule ${ruleName ? `"${ruleName}" ` : ''}(${ruleId}${ruleSetId ? ` in rule set ${ruleSetId}` : ''}): ${detail}`,
    );
  }
}
