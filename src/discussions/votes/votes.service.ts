import { Injectable } from '@nestjs/common';
import { BadUserInputException } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { AuthorIdentityService } from '../author-identity.service';
import { CommentsRepository } from '../comments/comments.repository';
import { ContentStatus } from '../content-status';
import { ContentNotFoundException } from '../discussions.exception';
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
  ) {}

  /** Returns the target's new score. */
  async vote(principal: Principal, contentId: string, value: number): Promise<number> {
    if (value !== -1 && value !== 0 && value !== 1) {
      throw new BadUserInputException('value must be -1, 0 or 1.', { fields: ['value'] });
    }
    const target = await this.readableTarget(principal, contentId);
    const voterToken = this.authors.voterToken(principal, contentId);
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const row =
        target === 'thread'
          ? await this.threadRows.lock(manager, contentId)
          : await this.comments.lock(manager, contentId);
      if (row === null) throw new ContentNotFoundException('content');
      const previous = await this.votes.find(manager, contentId, voterToken);
      const score = row.score - (previous?.value ?? 0) + value;
      await this.votes.put(manager, contentId, voterToken, previous, value);
      if (target === 'thread') {
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

  /** Voting needs the content to be published and readable by the voter. */
  private async readableTarget(
    principal: Principal,
    contentId: string,
  ): Promise<'thread' | 'comment'> {
    const thread = await this.threadRows.findById(contentId);
    if (thread !== null) {
      await this.threads.liveReadable(thread.id, principal);
      return 'thread';
    }
    const comment = await this.comments.findById(contentId);
    if (comment === null || comment.status !== ContentStatus.PUBLISHED) {
      throw new ContentNotFoundException('content');
    }
    try {
      await this.threads.liveReadable(comment.threadId, principal);
    } catch {
      throw new ContentNotFoundException('content');
    }
    return 'comment';
  }
}
