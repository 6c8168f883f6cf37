import {
  AppException,
  BadUserInputException,
  ConflictException,
  ErrorCode,
  NotFoundException,
} from '../common/errors';

/** Stable `extensions.reason` values of compliance errors (next to the stable `code`). */
export enum ComplianceExceptionReason {
  UNKNOWN_JURISDICTION = 'UNKNOWN_JURISDICTION',
  INVALID_RULE = 'INVALID_RULE',
  DRAFT_EXISTS = 'DRAFT_EXISTS',
  RULE_SET_PUBLISHED = 'RULE_SET_PUBLISHED',
  FOUR_EYES = 'FOUR_EYES',
  ALREADY_ACTIVE = 'ALREADY_ACTIVE',
  CONCURRENT_CHANGE = 'CONCURRENT_CHANGE',
}

export class UnknownJurisdictionException extends BadUserInputException {
  constructor(code: string, field = 'jurisdiction') {
    super(
      `"${code.slice(0, 20)}" is not a known jurisdiction: use a country code such as DE, a subdivision of one such as US-CA, or a group such as EU (see the jurisdictions query).`,
      { fields: [field], reason: ComplianceExceptionReason.UNKNOWN_JURISDICTION },
    );
  }
}

export class RuleSetNotFoundException extends NotFoundException {
  constructor() {
    super('No such rule set version.');
  }
}

export class RuleNotFoundException extends NotFoundException {
  constructor() {
    super('No such rule.');
  }
}

/** A rule that cannot be saved; `fields` names the input field, `reason` says why. */
export class InvalidRuleException extends BadUserInputException {
  constructor(message: string, field: string, compileError?: string) {
    super(message, {
      fields: [field],
      reason: ComplianceExceptionReason.INVALID_RULE,
      ...(compileError === undefined ? {} : { compileError }),
    });
  }
}

export class DraftExistsException extends ConflictException {
  constructor(jurisdiction: string, draft: { id: string; version: number }) {
    super(
      `${jurisdiction} already has a draft (version ${draft.version}); edit or publish it — there is one draft per jurisdiction at a time.`,
      {
        fields: ['jurisdiction'],
        reason: ComplianceExceptionReason.DRAFT_EXISTS,
        ruleSetId: draft.id,
      },
    );
  }
}

export class RuleSetPublishedException extends ConflictException {
  constructor(version: { jurisdiction: string; version: number; status: string }) {
    super(
      `Version ${version.version} of ${version.jurisdiction} is ${version.status}, not a draft: published versions cannot be changed or published again. Create a draft (createRuleSetDraft) and edit that.`,
      { reason: ComplianceExceptionReason.RULE_SET_PUBLISHED },
    );
  }
}

export class FourEyesException extends AppException {
  constructor() {
    super(
      ErrorCode.FORBIDDEN,
      'Four-eyes rule: you made the last change to this draft, so another compliance officer must review and publish it.',
      { reason: ComplianceExceptionReason.FOUR_EYES },
    );
  }
}

export class AlreadyActiveException extends ConflictException {
  constructor(jurisdiction: string, version: number, activeVersion = version) {
    super(
      activeVersion === version
        ? `Version ${version} of ${jurisdiction} is already the active version.`
        : `The active version ${activeVersion} of ${jurisdiction} already has the rules of version ${version}.`,
      {
        fields: ['toVersion'],
        reason: ComplianceExceptionReason.ALREADY_ACTIVE,
      },
    );
  }
}

export class ConcurrentRuleSetChangeException extends ConflictException {
  constructor() {
    super(
      'Another compliance officer changed the rule sets of this jurisdiction at the same moment; reload and try again.',
      { reason: ComplianceExceptionReason.CONCURRENT_CHANGE },
    );
  }
}
