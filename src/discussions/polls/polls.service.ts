import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BoardPostingForbiddenException } from '../../boards/boards.exception';
import type { Principal } from '../../infrastructure/auth/principal';
import { AppConfig } from '../../infrastructure/config/app-config';
import { CONTENT_STORE } from '../../infrastructure/database/stores';
import { TransactionRunner } from '../../infrastructure/database/transaction-runner';
import type { PollEntity, PollOptionEntity } from '../../posts/poll.entity';
import { PollsRepository, type StoredPoll } from '../../posts/polls.repository';
import { ThreadsRepository } from '../../posts/threads.repository';
import { ContentAccess } from '../access/content-access.service';
import { ContentAction } from '../access/content-access.policy';
import { AuthorIdentityService } from '../author-identity.service';
import {
  PollNotFoundException,
  PollRefusal,
  PollVoteConflictException,
} from '../discussions.exception';
import { type NewPoll, validChoice } from './poll-input';
import type { Poll } from './poll.model';

/** Whether the poll's closing time has passed at `now`. */
export function pollClosed(poll: PollEntity, now: Date): boolean {
  return poll.closesAt !== null && poll.closesAt.getTime() <= now.getTime();
}

/**
 * Polls in threads (docs/discussions.md, "Polls"): created in the thread's transaction, voted
 * on once per person (a keyed voter token per person and poll, never an account id), with
 * counts shown to a voter, or to anyone once the poll has closed, and to nobody while fewer
 * than POLL_RESULTS_MIN_VOTERS people have voted.
 */
@Injectable()
export class PollsService {
  constructor(
    private readonly config: AppConfig,
    private readonly polls: PollsRepository,
    private readonly threads: ThreadsRepository,
    private readonly authors: AuthorIdentityService,
    private readonly access: ContentAccess,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Stores a new thread's poll in the thread's transaction (`poll` as judged: masked words masked). */
  async create(manager: EntityManager, threadId: string, poll: NewPoll): Promise<void> {
    const pollId = randomUUID();
    await this.polls.insert(
      manager,
      {
        id: pollId,
        threadId,
        question: poll.question,
        multipleChoice: poll.multipleChoice,
        closesAt: poll.closesAt,
        voterCount: 0,
        closeAnnounced: false,
      },
      poll.options.map((text, position): PollOptionEntity => ({
        id: randomUUID(),
        pollId,
        position,
        text,
        votes: 0,
      })),
    );
  }

  /**
   * The polls of these (visible) threads as the viewer sees them, in key order (null where a
   * thread has none): one query for the polls, one for their options, one for the viewer's
   * own choices.
   */
  async forThreads(
    principal: Principal | undefined,
    threadIds: readonly string[],
  ): Promise<Array<Poll | null>> {
    const stored = await this.polls.byThreadIds(threadIds);
    const choices = await this.viewerChoices(
      principal,
      [...stored.values()].map((s) => s.poll.id),
    );
    const now = new Date();
    return threadIds.map((id) => {
      const poll = stored.get(id);
      return poll === undefined ? null : this.toModel(poll, choices.get(poll.poll.id) ?? null, now);
    });
  }

  /**
   * Casts the viewer's vote: allowed to whoever may comment in the poll's thread (the access
   * policy's COMMENT: a live thread they can see, on a board they may post on, not suspended or
   * banned); NOT_FOUND where the thread is not visible to them, as for anything else. A vote is
   * final: a second one is CONFLICT (POLL_ALREADY_VOTED), as is a vote on a closed poll
   * (POLL_CLOSED).
   */
  async vote(
    principal: Principal,
    pollId: string,
    optionIds: readonly string[],
    jurisdictions: readonly string[],
  ): Promise<Poll> {
    const poll = await this.polls.findById(pollId);
    const thread = poll === null ? null : await this.threads.findById(poll.threadId);
    if (poll === null || thread === null) throw new PollNotFoundException();
    await this.access.assert(
      ContentAction.COMMENT,
      { thread },
      { principal, jurisdictions },
      {
        notFound: () => new PollNotFoundException(),
        refused: () => new BoardPostingForbiddenException(),
      },
    );
    const [voterToken, ...previous] = this.authors.pollVoterTokens(principal, poll.id);
    return this.transactions.run(CONTENT_STORE, async (manager) => {
      const locked = await this.polls.lock(manager, poll.id);
      if (locked === null) throw new PollNotFoundException();
      const now = new Date();
      if (pollClosed(locked.poll, now)) throw new PollVoteConflictException(PollRefusal.CLOSED);
      if (await this.polls.hasVoted(manager, poll.id, [voterToken, ...previous])) {
        throw new PollVoteConflictException(PollRefusal.ALREADY_VOTED);
      }
      const choice = validChoice(
        optionIds,
        locked.options.map((o) => o.id),
        locked.poll.multipleChoice,
      );
      await this.polls.recordVote(manager, poll.id, voterToken, choice);
      const chosen = new Set(choice);
      const counted: StoredPoll = {
        poll: { ...locked.poll, voterCount: locked.poll.voterCount + 1 },
        options: locked.options.map((o) => (chosen.has(o.id) ? { ...o, votes: o.votes + 1 } : o)),
      };
      return this.toModel(counted, choice, now);
    });
  }

  /** The options the viewer chose, per poll they voted in. */
  private async viewerChoices(
    principal: Principal | undefined,
    pollIds: readonly string[],
  ): Promise<Map<string, string[]>> {
    const choices = new Map<string, string[]>();
    if (principal === undefined || pollIds.length === 0) return choices;
    const tokens = pollIds.flatMap((id) => this.authors.pollVoterTokens(principal, id));
    for (const row of await this.polls.findVotesByTokens(tokens)) {
      choices.set(row.pollId, [...(choices.get(row.pollId) ?? []), row.optionId]);
    }
    return choices;
  }

  /**
   * The poll as one viewer sees it: counts once they voted or the poll closed, and only when at
   * least POLL_RESULTS_MIN_VOTERS people have voted; their choice in the poll's option order.
   */
  private toModel(stored: StoredPoll, choice: readonly string[] | null, now: Date): Poll {
    const { poll, options } = stored;
    const closed = pollClosed(poll, now);
    const shown =
      (choice !== null || closed) && poll.voterCount >= this.config.POLL_RESULTS_MIN_VOTERS;
    const chosen = new Set(choice ?? []);
    return {
      id: poll.id,
      question: poll.question,
      options: options.map((o) => ({ id: o.id, text: o.text, votes: shown ? o.votes : null })),
      multipleChoice: poll.multipleChoice,
      closesAt: poll.closesAt,
      closed,
      totalVotes: poll.voterCount,
      viewerChoice:
        choice === null ? null : options.filter((o) => chosen.has(o.id)).map((o) => o.id),
    };
  }
}
