import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ActivityTarget } from '../../identity/moderation/notification-audience';
import { NotificationAudience } from '../../identity/moderation/notification-audience';
import type { Principal } from '../../infrastructure/auth/principal';
import type {
  ActivityEffect,
  ActivityReason,
} from '../../infrastructure/events/domain-event-catalogue';
import { DomainEvents } from '../../infrastructure/events/domain-events';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import type { CommentEntity } from '../../posts/comment.entity';
import { CommentsRepository } from '../../posts/comments.repository';
import { ContentStatus } from '../../posts/content-status';
import { ThreadFollowsRepository } from '../../posts/thread-follows.repository';
import type { ThreadEntity } from '../../posts/thread.entity';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ContentAccess } from '../access/content-access.service';
import { ContentAction } from '../access/content-access.policy';
import { FollowTokens } from './follow-tokens';

/**
 * Tells people of a comment that became visible (docs/discussions.md, "Follows, bookmarks
 * and notifications"): in the comment's transaction it publishes one `identity.effects`
 * event naming the recipients by sealed references only — the author of the comment replied
 * to, else of the thread (REPLY), and the thread's followers (FOLLOWED_THREAD_ACTIVITY) —
 * which the identity module delivers in its mixed batches. Nobody is named for their own
 * comment: the author tokens of one thread are equal for one person, and the commenter's own
 * follow is left out by its token (and, for an approved comment, by the identity module).
 *
 * It also answers the identity module's question, at delivery, whether a recipient can still
 * read the comment (the access policy's READ, on a published comment of a published thread).
 */
@Injectable()
export class ThreadActivity implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly follows: ThreadFollowsRepository,
    private readonly comments: CommentsRepository,
    private readonly threads: ThreadsRepository,
    private readonly access: ContentAccess,
    private readonly policy: ContentPolicy,
    private readonly audience: NotificationAudience,
    private readonly tokens: FollowTokens,
  ) {}

  onModuleInit(): void {
    this.audience.register((principal, target) => this.mayRead(principal, target));
  }

  /**
   * Publishes the comment's notifications with `manager` (the transaction that made it
   * visible). `commenter` is the signed-in author when known (creation), null on approval.
   */
  async published(
    manager: EntityManager,
    thread: ThreadEntity,
    comment: CommentEntity,
    commenter: Principal | null,
  ): Promise<void> {
    const recipients: Array<{ sealedRef: string; reason: ActivityReason }> = [];
    const parent =
      comment.parentId === null ? null : await this.comments.findById(comment.parentId, manager);
    if (parent !== null) {
      if (parent.authorToken !== comment.authorToken) {
        recipients.push({ sealedRef: parent.sealedRef, reason: 'REPLY_TO_COMMENT' });
      }
    } else if (thread.authorToken !== comment.authorToken) {
      recipients.push({ sealedRef: thread.sealedRef, reason: 'REPLY_TO_THREAD' });
    }
    const own = commenter === null ? null : this.tokens.of(commenter, thread.id);
    for (const follow of await this.follows.ofThread(manager, thread.id, own)) {
      recipients.push({ sealedRef: follow.sealedRef, reason: 'FOLLOWED' });
    }
    if (recipients.length === 0) return;
    const effect: ActivityEffect = {
      kind: 'activity',
      effectId: randomUUID(),
      threadId: thread.id,
      commentId: comment.id,
      threadTitle: thread.title,
      at: Date.now(),
      authorRef: comment.sealedRef,
      recipients,
    };
    await this.events.publish(manager, {
      type: 'identity.effects',
      payload: { effects: [effect] },
    });
  }

  private async mayRead(principal: Principal, target: ActivityTarget): Promise<boolean> {
    const [thread, comment] = await Promise.all([
      this.threads.findById(target.threadId),
      this.comments.findById(target.commentId),
    ]);
    if (
      thread?.status !== ContentStatus.PUBLISHED ||
      comment?.status !== ContentStatus.PUBLISHED ||
      comment.threadId !== thread.id
    ) {
      return false;
    }
    const { refusal } = await this.access.check(
      ContentAction.READ,
      { thread, comment },
      { principal, jurisdictions: this.policy.viewerJurisdictions(principal, undefined) },
    );
    return refusal === null;
  }
}
