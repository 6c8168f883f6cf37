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
 * reference (docs/anonymity.md). The one exception is `identity.effects`, which carries the
 * sealed references the content store already holds (a post's author, a report's reporter)
 * to the identity module, the only place that opens them.
 */
export interface DomainEventCatalogue {
  'review.requested': ReviewRequested;
  'ruleSet.publishedRetroactively': RuleSetPublishedRetroactively;
  'identity.effects': IdentityEffects;
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
  'identity.effects': CONTENT_STORE,
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

/**
 * What a moderation decision does to people, for the identity module to apply (sanction,
 * lifting one, telling the author and the reporters, counting reporters' accuracy), and the
 * closing of a thread's poll (telling its author). Published in the transaction of the decision
 * (of the closing's announcement) and delivered in **mixed batches** (docs/anonymity.md, "Mixed
 * delivery"), so that the identity store's rows follow neither the order nor the time of
 * decisions. People are named only by sealed references; sanctions only by sealed handles.
 */
export interface IdentityEffects {
  readonly effects: readonly IdentityEffect[];
}

export type IdentityEffect =
  AuthorEffect | ReporterEffect | LiftEffect | PollClosedEffect | ActivityEffect;

/** A sanction on a post's author and/or the statement of reasons they are sent. */
export interface AuthorEffect {
  readonly kind: 'author';
  /** Random; the notification's id is derived from it with a key, so redelivery writes it once. */
  readonly effectId: string;
  readonly sealedRef: string;
  /** The statement of reasons, or null when the author need not hear of the decision. */
  readonly message: string | null;
  /** True for the decision on the author's appeal (the notice is an APPEAL_OUTCOME). */
  readonly appeal?: boolean;
  readonly contentId: string;
  /** When the decision was made (epoch ms): sealed into the notification, never stored in clear. */
  readonly at: number;
  readonly sanction: {
    /** The sealed handle the review item keeps (SanctionsService.newHandle). */
    readonly handle: string;
    readonly kind: 'WARNING' | 'SUSPENSION' | 'BAN';
    readonly days: number | null;
    readonly reasonCode: string;
  } | null;
}

/** A reporter's outcome notice and accuracy count. */
export interface ReporterEffect {
  readonly kind: 'reporter';
  readonly effectId: string;
  readonly sealedRef: string;
  readonly upheld: boolean;
  readonly contentId: string;
  readonly at: number;
}

/** An upheld appeal ends the sanction of the decision appealed. */
export interface LiftEffect {
  readonly kind: 'lift';
  readonly sanctionHandle: string;
}

/** A thread's poll has closed: its author is told (a POLL_CLOSED notification). */
export interface PollClosedEffect {
  readonly kind: 'pollClosed';
  /** Random; the notification's id is derived from it with a key, so redelivery writes it once. */
  readonly effectId: string;
  /** The thread's sealed reference (its author). */
  readonly sealedRef: string;
  /** The thread. */
  readonly contentId: string;
  /** When the poll closed (epoch ms): sealed into the notification, never stored in clear. */
  readonly at: number;
}

/** Why a person hears of a new comment. */
export type ActivityReason = 'REPLY_TO_THREAD' | 'REPLY_TO_COMMENT' | 'FOLLOWED';

/**
 * A comment became visible (created PUBLISHED, or approved): the people to tell, named by
 * sealed references only — the author of the thread or of the comment it replies to (a
 * REPLY), and the thread's followers (FOLLOWED_THREAD_ACTIVITY). Published in the comment's
 * transaction and delivered in the same mixed batches as decisions' effects.
 */
export interface ActivityEffect {
  readonly kind: 'activity';
  /** Random; each notification's id is derived from it and the recipient with a key. */
  readonly effectId: string;
  readonly threadId: string;
  readonly commentId: string;
  /** The thread's title, for the message (shown only to people who can still read the thread). */
  readonly threadTitle: string;
  /** When the comment became visible (epoch ms): sealed into the notification. */
  readonly at: number;
  /** The comment's author: never told of their own comment. */
  readonly authorRef: string;
  readonly recipients: ReadonlyArray<{
    readonly sealedRef: string;
    readonly reason: ActivityReason;
  }>;
}
