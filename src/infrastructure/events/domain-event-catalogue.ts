import type { Role } from '../auth/role';
import { CONTENT_STORE, type StoreName } from '../database/stores';

/**
 * Every domain event the application publishes, by name, with its payload. Producers and
 * consumers both depend on this file, not on each other: compliance publishes
 * `review.requested` and moderation handles it; rule sets publish
 * `ruleSet.publishedRetroactively` and the discussions' retroactive enforcement handles it
 * (compliance cannot import the content modules, which depend on it).
 *
 * Payloads are stored as JSON in an outbox row (strings, numbers, booleans, arrays, plain
 * objects; no Dates) and must never link a post to a person: content ids, kinds, rule
 * notices, staff handles — never an account id, an email, an author token or a sealed
 * reference (docs/anonymity.md).
 */
export interface DomainEventCatalogue {
  'review.requested': ReviewRequested;
  'ruleSet.publishedRetroactively': RuleSetPublishedRetroactively;
}

export type DomainEventType = keyof DomainEventCatalogue;

/** One event: its name and its payload, typed together. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { readonly type: K; readonly payload: DomainEventCatalogue[K] };
}[T];

/**
 * The store whose outbox carries each event: the store of the transaction that publishes it
 * (the event is written in that transaction, so it exists if and only if the change
 * committed).
 */
export const EVENT_STORES: { readonly [K in DomainEventType]: StoreName } = {
  'review.requested': CONTENT_STORE,
  'ruleSet.publishedRetroactively': CONTENT_STORE,
};

/** A rule's notice as a review request carries it (the contract's fields). */
export interface ReviewNotice {
  readonly jurisdiction: string;
  readonly ruleName: string;
  readonly action: string;
  readonly legalBasis: string;
  readonly explanation: string;
}

/**
 * A post a HOLD or FLAG rule acted on (when created or edited, or by a retroactive run), to be
 * put in front of moderators (SPEC §4, §5). Published in the transaction that stored the
 * post's judgement.
 */
export interface ReviewRequested {
  readonly contentId: string;
  readonly contentKind: 'THREAD' | 'COMMENT';
  readonly kind: 'RULE_HOLD' | 'RULE_FLAG';
  /**
   * The rule engine's one-line summary of the outcome (jurisdictions and rule names; a rule of
   * the author's jurisdiction unnamed, as its kept notice: ContentPolicy.keptNotice).
   */
  readonly summary: string;
  /** The HOLD or FLAG notices behind the request. */
  readonly notices: readonly ReviewNotice[];
}

/**
 * A rule set version became ACTIVE with `applyRetroactively: true` (`publishRuleSet`), in its
 * publication's transaction: existing content is to be re-evaluated against it.
 */
export interface RuleSetPublishedRetroactively {
  readonly ruleSetId: string;
  readonly jurisdiction: string;
  readonly version: number;
  /** The publishing officer's staff handle and role, named by a retroactive run's audit entries. */
  readonly actor: { readonly handle: string; readonly role: Role };
}
