import { Injectable, Logger } from '@nestjs/common';
import type { ComplianceNotice } from '../notices/compliance-notice.model';
import type { PostKind } from './content-enforcement.entity';

/** A post a rule held or flagged, to be put in front of moderators (SPEC §4, §5). */
export interface ReviewRequest {
  readonly contentId: string;
  readonly contentKind: PostKind;
  readonly kind: 'RULE_HOLD' | 'RULE_FLAG';
  /** The rule engine's one-line summary of the outcome. */
  readonly summary: string;
  /** The HOLD or FLAG notices behind the request. */
  readonly notices: readonly ComplianceNotice[];
}

export type ReviewRequestHandler = (request: ReviewRequest) => Promise<void> | void;

/**
 * The domain event between compliance and moderation: emitted after a held or flagged post
 * (or a retroactive hold or flag) is committed; the moderation module subscribes and opens or
 * reopens a review item. A failing handler is logged with the post id only.
 */
@Injectable()
export class ReviewRequests {
  private readonly logger = new Logger(ReviewRequests.name);
  private readonly handlers: ReviewRequestHandler[] = [];

  subscribe(handler: ReviewRequestHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index >= 0) this.handlers.splice(index, 1);
    };
  }

  emit(request: ReviewRequest): void {
    for (const handler of this.handlers) {
      Promise.resolve()
        .then(() => handler(request))
        .catch((error: unknown) =>
          this.logger.error({
            msg: 'A review request handler failed',
            contentId: request.contentId,
            err: error,
          }),
        );
    }
  }
}
