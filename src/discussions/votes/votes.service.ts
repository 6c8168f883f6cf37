import { Injectable } from '@nestjs/common';
import type { BoardEntity } from '../../boards/board.entity';
import { BoardsService } from '../../boards/boards.service';
import { ContentPolicy } from '../../compliance/enforcement/content-policy.service';
import { SanctionsService } from '../../identity/moderation/sanctions.service';
import { BadUserInputException } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AuthorIdentityService } from '../author-identity.service';
import { CommentsRepository } from '../comments/comments.repository';
import { ContentStatus } from '../content-status';
import {
  ContentNotFoundException,
  VotingForbiddenException,
  VotingForbiddenReason,
} from '../discussions.exception';
import { hotRank } from '../threads/hot-rank';
import { ThreadsRepository } from '../threads/threads.repository';
import { ThreadsService } from '../threads/threads.service';
import { VotesRepository } from './votes.repository';

/**
 * Up/down votes: one per person per thread or comment, keyed by HMAC(vote, account, target).
 * The target's score (and a thread's hot rank) changes in the same transaction as the vote,
 * with the target row locked, so concurrent votes never lose an update.
 */
@Injectable()
export class VotesService {
  constructor(
    private readonly votes: VotesRepository,
    private readonly threadRows: ThreadsRepository,
    private readonly threads: ThreadsService,
    private readonly comments: CommentsRepository,
    private readonly authors: AuthorIdentityService,
    private readonly transactions: TransactionRunner,
    private readonly sanctions: SanctionsService,
    private readonly boards: BoardsService,
    private readonly policy: ContentPolicy,
  ) {}

  /**
   * Returns the target's new score. A vote is refused to a suspended or banned member (as a
   * post is), on what the voter cannot see (NOT_FOUND, as if it did not exist: unpublished,
   * on a board they cannot read, withheld in their jurisdictions), to a member who may not post
   * on the board (a public board needs a verified employer), and on the voter's own post.
   */
  async vote(
    principal: Principal,
    contentId: string,
    value: number,
    jurisdictions: readonly string[],
  ): Promise<number> {
    if (value !== -1 && value !== 0 && value !== 1) {
      throw new BadUserInputException('value must be -1, 0 or 1.', { fields: ['value'] });
    }
    await this.sanctions.assertMayPost(principal.accountId);
    const target = await this.readableTarget(principal, contentId, jurisdictions);
    if (!(await this.boards.canPost(target.board, principal))) {
      throw new VotingForbiddenException(VotingForbiddenReason.NOT_VERIFIED);
    }
    if (target.authorToken === this.authors.authorToken(principal, target.threadId)) {
      throw new VotingForbiddenException(VotingForbiddenReason.OWN_POST);
    }
    const voterToken = this.authors.voterToken(principal, contentId);
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const row =
        target.kind === 'thread'
          ? await this.threadRows.lock(manager, contentId)
          : await this.comments.lock(manager, contentId);
      if (row === null) throw new ContentNotFoundException('content');
      const previous = await this.votes.find(manager, contentId, voterToken);
      const score = row.score - (previous?.value ?? 0) + value;
      await this.votes.put(manager, contentId, voterToken, previous, value);
      if (target.kind === 'thread') {
        await this.threadRows.setScore(manager, contentId, score, hotRank(score, row.createdAt));
      } else {
        await this.comments.setScore(manager, contentId, score);
      }
      return score;
    });
  }

  /** The viewer's votes on these targets (0 where none), in key order. */
  async viewerVotes(principal: Principal, targetIds: readonly string[]): Promise<number[]> {
    const tokens = targetIds.map((id) => this.authors.voterToken(principal, id));
    const rows = await this.votes.findByVoterTokens(tokens);
    const byTarget = new Map(rows.map((v) => [v.targetId, v.value]));
    return targetIds.map((id) => byTarget.get(id) ?? 0);
  }

  /**
   * What a vote is on: a published thread or comment the voter can see (its thread live and
   * readable, neither withheld in the voter's jurisdictions unless they wrote it).
   */
  private async readableTarget(
    principal: Principal,
    contentId: string,
    jurisdictions: readonly string[],
  ): Promise<VoteTarget> {
    const thread = await this.threadRows.findById(contentId);
    if (thread !== null) {
      // One answer for what is missing and what may not be seen: existence does not leak.
      const { board } = await this.threads
        .liveReadable(thread.id, principal, jurisdictions)
        .catch((): never => {
          throw new ContentNotFoundException('content');
        });
      return { kind: 'thread', board, threadId: thread.id, authorToken: thread.authorToken };
    }
    const comment = await this.comments.findById(contentId);
    if (comment === null || comment.status !== ContentStatus.PUBLISHED) {
      throw new ContentNotFoundException('content');
    }
    try {
      const { board } = await this.threads.liveReadable(comment.threadId, principal, jurisdictions);
      const own = comment.authorToken === this.authors.authorToken(principal, comment.threadId);
      if (!own && (await this.policy.withheld([comment.id], jurisdictions)).size > 0) {
        throw new ContentNotFoundException('content');
      }
      return {
        kind: 'comment',
        board,
        threadId: comment.threadId,
        authorToken: comment.authorToken,
      };
    } catch {
      throw new ContentNotFoundException('content');
    }
  }
}

interface VoteTarget {
  readonly kind: 'thread' | 'comment';
  readonly board: BoardEntity;
  readonly threadId: string;
  readonly authorToken: string;
}
