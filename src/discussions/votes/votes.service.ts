import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BadUserInputException } from '../../common/errors';
import type { Principal } from '../../infrastructure/auth/principal';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { type Touched, TransactionRunner } from '../../infrastructure/database/transaction-runner';
import { ContentAccess, type Post } from '../access/content-access.service';
import { ContentAction, Refusal } from '../access/content-access.policy';
import { AuthorIdentityService } from '../author-identity.service';
import { CommentsRepository } from '../../posts/comments.repository';
import {
  ContentNotFoundException,
  VotingForbiddenException,
  VotingForbiddenReason,
} from '../discussions.exception';
import { hotRank } from '../threads/hot-rank';
import { findPost } from '../../posts/find-post';
import { ThreadsRepository } from '../../posts/threads.repository';
import { VotesRepository } from './votes.repository';

/** A vote as cast: the target's new score, and the target (thread, or comment and thread) with it. */
export interface CastVote {
  score: number;
  target: Post;
}

/**
 * What a vote changes of what is shown (TransactionRunner's Touched): a thread's score, in its
 * board's feeds and on its page, and the order of its board's HOT and TOP feeds; a comment's
 * score, on its thread's page only.
 */
function votedOn({ target }: CastVote): Touched {
  return target.comment == null
    ? { ranks: [target.thread.boardId], threads: [target.thread.id] }
    : { pages: [target.thread.id] };
}

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
    private readonly comments: CommentsRepository,
    private readonly authors: AuthorIdentityService,
    private readonly transactions: TransactionRunner,
    private readonly access: ContentAccess,
  ) {}

  /**
   * Returns the target's new score and the target as it now is (its row with that score). A
   * vote is refused to a suspended or banned member (as a
   * post is), on what the voter cannot see (NOT_FOUND, as if it did not exist: unpublished,
   * on a board they cannot read, withheld in their jurisdictions), to a member who may not post
   * on the board (a public board needs a verified employer), and on the voter's own post.
   */
  async vote(
    principal: Principal,
    contentId: string,
    value: number,
    jurisdictions: readonly string[],
  ): Promise<CastVote> {
    if (value !== -1 && value !== 0 && value !== 1) {
      throw new BadUserInputException('value must be -1, 0 or 1.', { fields: ['value'] });
    }
    const target = await this.target(contentId);
    await this.access.assert(
      ContentAction.VOTE,
      target,
      { principal, jurisdictions },
      {
        // One answer for what is missing and what may not be seen: existence does not leak.
        notFound: () => new ContentNotFoundException('content'),
        refused: (refusal) =>
          new VotingForbiddenException(
            refusal === Refusal.OWN_POST
              ? VotingForbiddenReason.OWN_POST
              : VotingForbiddenReason.NOT_VERIFIED,
          ),
      },
    );
    const voterToken = this.authors.voterToken(principal, contentId);
    return this.transactions.run(
      CONTENT_STORE,
      async (manager) => {
        if (target.comment == null) {
          const row = await this.threadRows.lock(manager, contentId);
          if (row === null) throw new ContentNotFoundException('content');
          const score = await this.put(manager, contentId, voterToken, row.score, value);
          const rank = hotRank(score, row.createdAt);
          await this.threadRows.setScore(manager, contentId, score, rank);
          return { score, target: { thread: { ...row, score, hotRank: rank } } };
        }
        const row = await this.comments.lock(manager, contentId);
        if (row === null) throw new ContentNotFoundException('content');
        const score = await this.put(manager, contentId, voterToken, row.score, value);
        await this.comments.setScore(manager, contentId, score);
        return { score, target: { thread: target.thread, comment: { ...row, score } } };
      },
      votedOn,
    );
  }

  /** Writes the voter's vote on the locked target and returns the target's new score. */
  private async put(
    manager: EntityManager,
    targetId: string,
    voterToken: string,
    score: number,
    value: number,
  ): Promise<number> {
    const previous = await this.votes.find(manager, targetId, voterToken);
    await this.votes.put(manager, targetId, voterToken, previous, value);
    return score - (previous?.value ?? 0) + value;
  }

  /** The viewer's votes on these targets (0 where none), in key order. */
  async viewerVotes(principal: Principal, targetIds: readonly string[]): Promise<number[]> {
    const tokens = targetIds.map((id) => this.authors.voterToken(principal, id));
    return this.votes.votesOf(tokens);
  }

  /** What a vote is on: a thread, or a comment with its thread; NOT_FOUND when neither exists. */
  private async target(contentId: string): Promise<Post> {
    const post = await findPost(this.threadRows, this.comments, contentId);
    if (post === null) throw new ContentNotFoundException('content');
    return post;
  }
}
