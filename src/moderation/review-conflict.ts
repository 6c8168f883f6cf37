import { ConflictException, ForbiddenException } from '../common/errors';

/** `extensions.reason` of a CONFLICT on a review item (docs/moderation.md). */
export enum ReviewConflictReason {
  /** The item changed since the moderator loaded it (`currentVersion` says to what). */
  STALE_VERSION = 'STALE_VERSION',
  /** The item has been decided already. */
  DECIDED = 'DECIDED',
  /** Another moderator holds a claim on it (`claimExpiresAt` says until when). */
  CLAIMED = 'CLAIMED',
  /** The decision has been appealed already (an appeal is allowed once). */
  ALREADY_APPEALED = 'ALREADY_APPEALED',
}

export class ReviewConflictException extends ConflictException {
  constructor(
    message: string,
    reason: ReviewConflictReason,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, { reason, ...details });
  }
}

/** A moderator scoped to one company's board (`scopeModerator`) reaching beyond it. */
export class OutsideModeratorScopeException extends ForbiddenException {
  constructor() {
    super('You moderate one company’s board only.');
  }
}

/**
 * Refuses a moderator scoped to `scope` (a company id; null: not scoped) what belongs to
 * `companyId` (null: a public board, or every board when it is a filter).
 */
export function assertWithinScope(scope: string | null, companyId: string | null): void {
  if (scope !== null && companyId !== scope) throw new OutsideModeratorScopeException();
}
